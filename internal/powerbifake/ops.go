package powerbifake

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"slices"
)

type datasourceJSON struct {
	DatasourceType    string            `json:"datasourceType"`
	ConnectionDetails connectionDetails `json:"connectionDetails"`
	DatasourceID      string            `json:"datasourceId"`
	GatewayID         string            `json:"gatewayId"`
}

type connectionDetails struct {
	Server   string `json:"server,omitempty"`
	Database string `json:"database,omitempty"`
}

type listJSON[T any] struct {
	Context string `json:"@odata.context"`
	Value   []T    `json:"value"`
}

// getDatasources handles Datasets - Get Datasources In Group.
func (s *Server) getDatasources(p, wsID, dsID string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ds, e := s.model(p, wsID, dsID)
	if e != nil {
		return 0, nil, e
	}
	out := listJSON[datasourceJSON]{Context: s.URL() + "/v1.0/myorg/groups/" + w.id + "/$metadata#datasources"}
	for _, src := range ds.sources {
		out.Value = append(out.Value, datasourceJSON{DatasourceType: src.Type, ConnectionDetails: connectionDetails{Server: src.Server, Database: src.Database},
			DatasourceID: src.ID, GatewayID: src.Gateway})
	}
	return http.StatusOK, out, nil
}

// model finds a model the principal may use. The caller holds the lock.
func (s *Server) model(p, wsID, dsID string) (*workspace, *dataset, *APIError) {
	w := s.workspaces[wsID]
	if w == nil {
		return nil, nil, notFound("Group", wsID)
	}
	if !w.member(p) {
		return nil, nil, forbidden("The caller is not a member of workspace " + wsID + ".")
	}
	ds := w.datasets[dsID]
	if ds == nil {
		return nil, nil, notFound("Dataset", dsID)
	}
	return w, ds, nil
}

type publicKeyJSON struct {
	Exponent string `json:"exponent"`
	Modulus  string `json:"modulus"`
}

type gatewayJSON struct {
	ID            string        `json:"id"`
	Name          string        `json:"name,omitempty"`
	Type          string        `json:"type,omitempty"`
	PublicKey     publicKeyJSON `json:"publicKey"`
	GatewayStatus string        `json:"gatewayStatus,omitempty"`
}

// getGateway handles Gateways - Get Gateway. An on-premises gateway is
// visible to its admins only; a cloud gateway answers as
// SetCloudGatewayAnswer says.
func (s *Server) getGateway(p, gwID string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gw := s.gateways[gwID]
	if gw == nil || gw.cloud && s.cloudAnswer == CloudNotFound || !gw.cloud && !gw.admin(p) {
		return 0, nil, notFound("Gateway", gwID)
	}
	out := gatewayJSON{ID: gw.id, PublicKey: publicKey(gw)}
	if !gw.cloud {
		out.Name, out.Type, out.GatewayStatus = gw.name, "Resource", "Live"
	}
	return http.StatusOK, out, nil
}

// publicKey is the gateway's key as .NET's RSAParameters hold it:
// big-endian exponent and modulus, base64.
func publicKey(gw *gateway) publicKeyJSON {
	if gw.key == nil {
		return publicKeyJSON{}
	}
	k := publicKeyJSON{
		Exponent: base64.StdEncoding.EncodeToString(big.NewInt(int64(gw.key.E)).Bytes()),
		Modulus:  base64.StdEncoding.EncodeToString(gw.key.N.Bytes()),
	}
	if gw.badKey != "" {
		k.Modulus = gw.badKey
	}
	return k
}

type updateJSON struct {
	CredentialDetails *struct {
		CredentialType              string `json:"credentialType"`
		Credentials                 string `json:"credentials"`
		EncryptedConnection         string `json:"encryptedConnection"`
		EncryptionAlgorithm         string `json:"encryptionAlgorithm"`
		PrivacyLevel                string `json:"privacyLevel"`
		UseEndUserOAuth2Credentials *bool  `json:"useEndUserOAuth2Credentials"`
	} `json:"credentialDetails"`
}

type credentialDataJSON struct {
	CredentialData []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"credentialData"`
}

// updateDatasource handles Gateways - Update Datasource.
func (s *Server) updateDatasource(r *http.Request, p, gwID, srcID string, body []byte) (int, any, *APIError) {
	s.mu.Lock()
	gw := s.gateways[gwID]
	var held *Credentials
	if gw != nil {
		held = gw.sources[srcID]
	}
	switch {
	case gw == nil:
		s.mu.Unlock()
		return 0, nil, notFound("Gateway", gwID)
	case held == nil:
		s.mu.Unlock()
		return 0, nil, notFound("Datasource", srcID)
	case gw.cloud && !s.owns(p, gwID, srcID):
		s.mu.Unlock()
		return 0, nil, forbidden("Cloud data source credentials can be set only by the owner of the semantic model; take it over first.")
	case !gw.cloud && !gw.admin(p):
		s.mu.Unlock()
		return 0, nil, forbidden("The caller is not an admin of gateway " + gwID + ".")
	}
	key, cloud, test, login := gw.key, gw.cloud, s.testOnUpdate, s.login
	server := s.sourceServer(gwID, srcID)
	s.mu.Unlock()

	var req updateJSON
	if err := json.Unmarshal(body, &req); err != nil || req.CredentialDetails == nil {
		return 0, nil, invalid("The request must carry credentialDetails.")
	}
	cd := req.CredentialDetails
	switch {
	case cd.CredentialType != "Basic":
		return 0, nil, invalid("The fake takes Basic credentials only, not %q.", cd.CredentialType)
	case !slices.Contains([]string{"Encrypted", "NotEncrypted"}, cd.EncryptedConnection):
		return 0, nil, invalid("encryptedConnection %q is not Encrypted or NotEncrypted.", cd.EncryptedConnection)
	case !slices.Contains([]string{"None", "Public", "Organizational", "Private"}, cd.PrivacyLevel):
		return 0, nil, invalid("privacyLevel %q is not one of None, Public, Organizational, Private.", cd.PrivacyLevel)
	case cloud && cd.EncryptionAlgorithm != "None":
		return 0, nil, invalid("Cloud data source credentials are not encrypted: encryptionAlgorithm must be None.")
	case !cloud && cd.EncryptionAlgorithm != "RSA-OAEP":
		return 0, nil, invalid("On-premises data source credentials must be encrypted with the gateway's public key (RSA-OAEP).")
	}
	plain := []byte(cd.Credentials)
	if !cloud {
		var err error
		if plain, err = decrypt(key, cd.Credentials); err != nil {
			return 0, nil, invalid("The gateway could not decrypt the credentials: %v.", err)
		}
	}
	var data credentialDataJSON
	if err := json.Unmarshal(plain, &data); err != nil {
		return 0, nil, invalid("The credentials are not a credentialData JSON object.")
	}
	var user, pass string
	for _, kv := range data.CredentialData {
		switch kv.Name {
		case "username":
			user = kv.Value
		case "password":
			pass = kv.Value
		}
	}
	if user == "" || pass == "" {
		return 0, nil, invalid("Basic credentials need a username and a password.")
	}
	if test {
		if err := runLogin(r.Context(), login, Login{Server: server, User: user, Password: pass}); err != nil {
			return 0, nil, &APIError{Status: http.StatusBadRequest, Code: "DM_GWPipeline_Gateway_DataSourceAccessError", Message: "The credentials were rejected by the data source."}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	held.CredentialType, held.User, held.Password = cd.CredentialType, user, pass
	held.EncryptedConnection, held.PrivacyLevel, held.Encrypted = cd.EncryptedConnection, cd.PrivacyLevel, !cloud
	held.Updates++
	return http.StatusOK, nil, nil
}

// sourceServer is the server of a gateway data source, from the first
// model bound to it. The caller holds the lock.
func (s *Server) sourceServer(gwID, srcID string) string {
	for _, w := range s.workspaces {
		for _, ds := range w.datasets {
			for _, src := range ds.sources {
				if src.Gateway == gwID && src.ID == srcID {
					return src.Server
				}
			}
		}
	}
	return ""
}
