package tableaufake

import "encoding/xml"

// Namespace is the namespace of every Tableau REST API body.
const Namespace = "http://tableau.com/api"

// response is <tsResponse>. Only the elements an answer carries are set.
type response struct {
	XMLName     xml.Name        `xml:"http://tableau.com/api tsResponse"`
	Error       *errorXML       `xml:"error,omitempty"`
	ServerInfo  *serverInfoXML  `xml:"serverInfo,omitempty"`
	Credentials *credentialsOut `xml:"credentials,omitempty"`
	Pagination  *paginationXML  `xml:"pagination,omitempty"`
	Datasources *datasourcesXML `xml:"datasources,omitempty"`
	Datasource  *contentXML     `xml:"datasource,omitempty"`
	Workbooks   *workbooksXML   `xml:"workbooks,omitempty"`
	Workbook    *contentXML     `xml:"workbook,omitempty"`
	Connections *connectionsXML `xml:"connections,omitempty"`
	Connection  *connectionXML  `xml:"connection,omitempty"`
	Job         *jobXML         `xml:"job,omitempty"`
}

type errorXML struct {
	Code    string `xml:"code,attr"`
	Summary string `xml:"summary"`
	Detail  string `xml:"detail"`
}

type serverInfoXML struct {
	ProductVersion productVersionXML `xml:"productVersion"`
	RestAPIVersion string            `xml:"restApiVersion"`
}

type productVersionXML struct {
	Build string `xml:"build,attr"`
	Value string `xml:",chardata"`
}

type credentialsOut struct {
	Token string  `xml:"token,attr"`
	Site  siteRef `xml:"site"`
	User  idRef   `xml:"user"`
}

type siteRef struct {
	ID         string `xml:"id,attr"`
	ContentURL string `xml:"contentUrl,attr"`
}

type idRef struct {
	ID   string `xml:"id,attr"`
	Name string `xml:"name,attr,omitempty"`
}

type paginationXML struct {
	PageNumber     int `xml:"pageNumber,attr"`
	PageSize       int `xml:"pageSize,attr"`
	TotalAvailable int `xml:"totalAvailable,attr"`
}

type datasourcesXML struct {
	Items []contentXML `xml:"datasource"`
}

type workbooksXML struct {
	Items []contentXML `xml:"workbook"`
}

// contentXML is a <datasource> or <workbook>.
type contentXML struct {
	ID          string `xml:"id,attr"`
	Name        string `xml:"name,attr"`
	ContentURL  string `xml:"contentUrl,attr"`
	Type        string `xml:"type,attr,omitempty"`
	HasExtracts string `xml:"hasExtracts,attr,omitempty"`
	Project     idRef  `xml:"project"`
	Owner       idRef  `xml:"owner"`
}

type connectionsXML struct {
	Items []connectionXML `xml:"connection"`
}

type connectionXML struct {
	ID                 string `xml:"id,attr"`
	Type               string `xml:"type,attr"`
	ServerAddress      string `xml:"serverAddress,attr"`
	ServerPort         string `xml:"serverPort,attr,omitempty"`
	UserName           string `xml:"userName,attr"`
	EmbedPassword      string `xml:"embedPassword,attr"`
	AuthenticationType string `xml:"authenticationType,attr,omitempty"`
	Datasource         *idRef `xml:"datasource,omitempty"`
}

type jobXML struct {
	ID          string   `xml:"id,attr"`
	Mode        string   `xml:"mode,attr"`
	Type        string   `xml:"type,attr"`
	Progress    string   `xml:"progress,attr,omitempty"`
	CreatedAt   string   `xml:"createdAt,attr"`
	CompletedAt string   `xml:"completedAt,attr,omitempty"`
	FinishCode  string   `xml:"finishCode,attr,omitempty"`
	Refresh     *jobBody `xml:"extractRefreshJob,omitempty"`
}

type jobBody struct {
	Notes      string `xml:"notes,omitempty"`
	Datasource *idRef `xml:"datasource,omitempty"`
	Workbook   *idRef `xml:"workbook,omitempty"`
}

// request is <tsRequest>, with or without the namespace: Tableau Server
// Client sends it without one.
type request struct {
	XMLName     xml.Name       `xml:"tsRequest"`
	Credentials *credentialsIn `xml:"credentials"`
	Connection  *connectionIn  `xml:"connection"`
}

type credentialsIn struct {
	Name  string   `xml:"name,attr"`
	Pass  string   `xml:"password,attr"`
	PATN  string   `xml:"personalAccessTokenName,attr"`
	PATS  string   `xml:"personalAccessTokenSecret,attr"`
	JWT   string   `xml:"jwt,attr"`
	Site  *siteRef `xml:"site"`
	Imper *idRef   `xml:"user"`
}

// connectionIn is an update: absent attributes are left as they are, so
// pointers tell absent from empty.
type connectionIn struct {
	ServerAddress *string `xml:"serverAddress,attr"`
	ServerPort    *string `xml:"serverPort,attr"`
	UserName      *string `xml:"userName,attr"`
	Password      *string `xml:"password,attr"`
	EmbedPassword *string `xml:"embedPassword,attr"`
}
