package tableau

import "encoding/xml"

// ns is the namespace of every Tableau REST API answer.
const ns = "http://tableau.com/api"

// tsResponse holds the elements this adapter reads from any answer.
type tsResponse struct {
	XMLName     xml.Name       `xml:"http://tableau.com/api tsResponse"`
	Error       *apiErrorXML   `xml:"http://tableau.com/api error"`
	ServerInfo  *serverInfoXML `xml:"http://tableau.com/api serverInfo"`
	Credentials *signedInXML   `xml:"http://tableau.com/api credentials"`
	Pagination  *paginationXML `xml:"http://tableau.com/api pagination"`
	Datasources []itemXML      `xml:"http://tableau.com/api datasources>datasource"`
	Workbooks   []itemXML      `xml:"http://tableau.com/api workbooks>workbook"`
	Datasource  *itemXML       `xml:"http://tableau.com/api datasource"`
	Workbook    *itemXML       `xml:"http://tableau.com/api workbook"`
	Connections []connXML      `xml:"http://tableau.com/api connections>connection"`
	Connection  *connXML       `xml:"http://tableau.com/api connection"`
	Job         *jobXML        `xml:"http://tableau.com/api job"`
}

type apiErrorXML struct {
	Code    string `xml:"code,attr"`
	Summary string `xml:"http://tableau.com/api summary"`
	Detail  string `xml:"http://tableau.com/api detail"`
}

type serverInfoXML struct {
	RestAPIVersion string `xml:"http://tableau.com/api restApiVersion"`
}

type signedInXML struct {
	Token string `xml:"token,attr"`
	Site  struct {
		ID string `xml:"id,attr"`
	} `xml:"http://tableau.com/api site"`
}

type paginationXML struct {
	PageNumber     int `xml:"pageNumber,attr"`
	PageSize       int `xml:"pageSize,attr"`
	TotalAvailable int `xml:"totalAvailable,attr"`
}

type itemXML struct {
	ID          string `xml:"id,attr"`
	Name        string `xml:"name,attr"`
	HasExtracts string `xml:"hasExtracts,attr"`
	Project     struct {
		Name string `xml:"name,attr"`
	} `xml:"http://tableau.com/api project"`
}

type connXML struct {
	ID                 string `xml:"id,attr"`
	Type               string `xml:"type,attr"`
	ServerAddress      string `xml:"serverAddress,attr"`
	ServerPort         string `xml:"serverPort,attr"`
	UserName           string `xml:"userName,attr"`
	AuthenticationType string `xml:"authenticationType,attr"`
}

type jobXML struct {
	ID          string `xml:"id,attr"`
	CompletedAt string `xml:"completedAt,attr"`
	FinishCode  string `xml:"finishCode,attr"`
	Notes       string `xml:"http://tableau.com/api extractRefreshJob>notes"`
}

// The requests. Tableau Server Client sends <tsRequest> without a
// namespace, and so does this adapter.

type signInRequest struct {
	XMLName     xml.Name          `xml:"tsRequest"`
	Credentials signInCredentials `xml:"credentials"`
}

type signInCredentials struct {
	PATName   string `xml:"personalAccessTokenName,attr,omitempty"`
	PATSecret string `xml:"personalAccessTokenSecret,attr,omitempty"`
	JWT       string `xml:"jwt,attr,omitempty"`
	Site      struct {
		ContentURL string `xml:"contentUrl,attr"`
	} `xml:"site"`
}

type updateConnectionRequest struct {
	XMLName    xml.Name `xml:"tsRequest"`
	Connection struct {
		UserName      string `xml:"userName,attr"`
		Password      string `xml:"password,attr"`
		EmbedPassword string `xml:"embedPassword,attr"`
	} `xml:"connection"`
}

type refreshRequest struct {
	XMLName xml.Name  `xml:"tsRequest"`
	Extract *struct{} `xml:"extractRefresh"`
}
