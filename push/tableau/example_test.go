package tableau_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
)

// Push a rotated token into a published data source, here on an
// in-process Tableau fake; against a real server the URL names its host
// and the token comes from TABLEAU_PAT_NAME and TABLEAU_PAT_SECRET.
func Example() {
	ctx := context.Background()
	fake := tableaufake.New()
	defer fake.Close()
	fake.AddUser("", "svc-snowpat", tableaufake.RoleSiteAdministrator)
	fake.AddPAT("", "svc-snowpat", "snowpat", "tableau-pat-secret")
	id := fake.AddDatasource("", tableaufake.Content{Name: "Sales", Owner: "svc-snowpat", Connections: []tableaufake.Connection{
		{Type: "snowflake", ServerAddress: "myorg-acct.snowflakecomputing.com", UserName: "BI_SVC"},
		{Type: "sqlserver", ServerAddress: "crm.corp"},
	}})
	env := map[string]string{"TABLEAU_PAT_NAME": "snowpat", "TABLEAU_PAT_SECRET": "tableau-pat-secret"}
	opts := &push.Options{HTTPClient: fake.Client(), Getenv: func(k string) string { return env[k] }}

	d, err := push.Open(ctx, "tableau://"+fake.Host()+"/default/datasources/Sales", opts)
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
		fmt.Println("wrote", c.Type, c.Server)
	}
	held := fake.Connections(id)[0]
	fmt.Println(held.UserName, "embedded:", held.EmbedPassword)

	// The same token is never sent to another account's connections.
	_, err = d.Push(ctx, push.Credential{Account: "myorg-other", User: "BI_SVC", Secret: pat.NewSecret("other-secret")})
	fmt.Println(errors.Is(err, push.ErrWrongAccount))
	// Output:
	// wrote snowflake myorg-acct.snowflakecomputing.com
	// BI_SVC embedded: true
	// true
}
