package powerbi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/snowpat/snowpat/push/driver"
)

type datasourcesJSON struct {
	Value []struct {
		DatasourceType    string `json:"datasourceType"`
		ConnectionDetails struct {
			Server   string `json:"server"`
			Database string `json:"database"`
		} `json:"connectionDetails"`
		DatasourceID string `json:"datasourceId"`
		GatewayID    string `json:"gatewayId"`
	} `json:"value"`
}

type gatewayJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	PublicKey struct {
		Exponent string `json:"exponent"`
		Modulus  string `json:"modulus"`
	} `json:"publicKey"`
}

// source is one Snowflake data source as the push will write it.
type source struct {
	conn                    driver.Connection
	gatewayID, datasourceID string
	// key is the on-premises gateway's key; nil for a cloud connection.
	key *gatewayKey
}

// inspect reads the model's data sources and, for the Snowflake ones, the
// gateways they are bound to: an on-premises gateway (its key parsed, so
// that a key that does not parse stops the push before anything is sent)
// or the cloud.
func (d *dest) inspect(ctx context.Context) (*driver.Content, []source, error) {
	var list datasourcesJSON
	path := "/groups/" + d.workspace + "/datasets/" + d.dataset + "/datasources"
	if _, err := d.c.call(ctx, "GetDatasourcesInGroup", http.MethodGet, path, nil, &list, true); err != nil {
		return nil, nil, err
	}
	content := &driver.Content{Kind: "dataset", ID: d.dataset, Name: d.dataset}
	gateways := map[string]*gatewayInfo{}
	var sources []source
	seen := map[string]bool{}
	for _, v := range list.Value {
		conn := driver.Connection{ID: v.GatewayID + "/" + v.DatasourceID, Type: v.DatasourceType, Server: v.ConnectionDetails.Server,
			Snowflake: strings.EqualFold(v.DatasourceType, "Snowflake")}
		if seen[conn.ID] {
			continue // two bindings of one gateway data source hold one credential
		}
		seen[conn.ID] = true
		if conn.Snowflake {
			if v.GatewayID == "" || v.DatasourceID == "" {
				return nil, nil, fail(driver.CodeUnsupported, "Snowflake data source %q has no gateway and data source id, so the API cannot set its credentials", conn.Server)
			}
			g, ok := gateways[v.GatewayID]
			if !ok {
				var err error
				if g, err = d.gateway(ctx, v.GatewayID); err != nil {
					return nil, nil, err
				}
				gateways[v.GatewayID] = g
			}
			conn.Via = g.via
			sources = append(sources, source{conn: conn, gatewayID: v.GatewayID, datasourceID: v.DatasourceID, key: g.key})
		}
		content.Connections = append(content.Connections, conn)
	}
	return content, sources, nil
}

type gatewayInfo struct {
	via string
	key *gatewayKey
}

// gateway tells an on-premises gateway from the cloud as Microsoft's
// samples do: Get Gateway answers with a name for an on-premises gateway;
// for a cloud connection's gateway id it answers 404 or without a name.
func (d *dest) gateway(ctx context.Context, id string) (*gatewayInfo, error) {
	var g gatewayJSON
	_, err := d.c.call(ctx, "GetGateway", http.MethodGet, "/gateways/"+url.PathEscape(id), nil, &g, true)
	if e, ok := errors.AsType[*APIError](err); ok && e.Status == http.StatusNotFound {
		return &gatewayInfo{via: "cloud"}, nil
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(g.Name) == "" {
		return &gatewayInfo{via: "cloud"}, nil
	}
	k, err := parseGatewayKey(g.PublicKey.Exponent, g.PublicKey.Modulus)
	if err != nil {
		return nil, fail(driver.CodeInvalidArgument, "gateway %q (%s): %v", g.Name, id, err)
	}
	return &gatewayInfo{via: "gateway " + g.Name, key: &k}, nil
}
