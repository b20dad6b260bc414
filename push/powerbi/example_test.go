package powerbi_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
)

// Push a rotated token into a semantic model whose Snowflake data source
// sits behind an on-premises gateway, here on an in-process Power BI fake.
// A program without its own credential uses push.Open, and the adapter
// gets tokens from azidentity's DefaultAzureCredential.
func Example() {
	ctx := context.Background()
	fake := powerbifake.New()
	defer fake.Close()
	ws := fake.AddWorkspace("Finance", "snowpat-sp")
	gw := fake.AddGateway(powerbifake.Gateway{Name: "corp-gw", Admins: []string{"snowpat-sp"}})
	ds := fake.AddDataset(ws, powerbifake.Dataset{Name: "Revenue", Owner: "snowpat-sp", Datasources: []powerbifake.Datasource{
		{Gateway: gw, Type: "Snowflake", Server: "myorg-acct.snowflakecomputing.com", Database: "ANALYTICS"},
	}})

	mux := &push.URLMux{}
	mux.Register(powerbi.Scheme, powerbi.NewOpener(&powerbi.OpenerOptions{Credential: fake.Credential("snowpat-sp")}))
	d, err := mux.Open(ctx, "powerbi://groups/"+ws+"/datasets/"+ds+"?endpoint="+url.QueryEscape(fake.URL()), &push.Options{HTTPClient: fake.Client()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	res, err := d.Push(ctx, push.Credential{Account: "myorg-acct", User: "BI_SVC", Secret: pat.NewSecret("new-token-secret")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Connections {
		fmt.Println("wrote", c.Type, "via", c.Via)
	}
	src := fake.Datasources(ds)[0]
	held := fake.Credentials(src.Gateway, src.ID)
	fmt.Println(held.User, "encrypted:", held.Encrypted, "password ok:", held.Password == "new-token-secret")
	// Output:
	// wrote Snowflake via gateway corp-gw
	// BI_SVC encrypted: true password ok: true
}
