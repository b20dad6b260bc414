package driver

import "github.com/snowpat/snowpat/pat"

// Credential is what a push writes into each Snowflake connection: a user
// name and the token secret as its password. The portable layer has
// checked it: Account and User are non-empty, Secret is not zero.
type Credential struct {
	// Account is the Snowflake account identifier the token belongs to,
	// such as "myorg-myaccount" or "xy12345.us-east-2.aws".
	Account string
	// User is the Snowflake user name the connection logs in as.
	User string
	// Secret is the token secret, sent as the connection's password.
	Secret pat.Secret
	// Version is an opaque id of the stored version the secret came from,
	// for log lines; drivers never send it.
	Version string
}

// Content describes the piece of content a Destination addresses, as the
// tool reports it.
type Content struct {
	// Kind is the tool's name for the kind of content: "datasource",
	// "workbook", "dataset".
	Kind string
	// ID is the tool's id for it; Name its display name.
	ID, Name string
	// Connections are all its connections, Snowflake or not.
	Connections []Connection
}

// Connection is one connection of the content.
type Connection struct {
	// ID identifies the connection within the content, in the tool's
	// terms (Power BI: "<gateway id>/<data source id>").
	ID string
	// Type is the connection's type as the tool reports it, such as
	// "snowflake" (Tableau) or "Snowflake" (Power BI).
	Type string
	// Snowflake is set by the driver for connections to Snowflake that
	// take a user name and password: those Push writes.
	Snowflake bool
	// Server is the server address the connection points at, as the tool
	// stores it (a host, perhaps with a port or a scheme).
	Server string
	// User is the user name the connection holds now, when the tool says.
	User string
	// Via says how the tool reaches Snowflake, for people reading a plan:
	// "" for Tableau, "cloud" or "gateway <name>" for Power BI.
	Via string
}
