package mp

import (
	"plaza/views/charts"
	"plaza/views/layout"
)

// The developer console's view models (Me → Settings → Developer mode),
// built by hooks/miniprograms/mpweb/developer*.go.

// DevHome is /developer: developer mode's switch and the member's apps.
type DevHome struct {
	Enabled bool
	Apps    []DevAppRow
	Flash   layout.Flash
}

// DevAppRow is one of the developer's apps in their list.
type DevAppRow struct {
	AppID     string
	Name      string
	IconURL   string // "" for none: the name's initial shows
	Live      string // the released version, "" when none is
	Suspended bool
	Href      string // its console
}

// DevOption is a choice of a select.
type DevOption struct {
	Value    string
	Label    string
	Selected bool
}

// DevForm registers an app or edits its details.
type DevForm struct {
	Action         string
	New            bool
	AppID          string
	Name           string
	Category       string
	Description    string
	ServerURL      string
	WebhookURL     string
	DailyCap       string // an amount as typed ("500.00")
	Currency       string
	Categories     []DevOption
	IconURL        string   // the current icon ("" for none)
	Screenshots    []string // the current screenshots' addresses
	MaxScreenshots int
	NameMax        int
	DescriptionMax int
	MaxCap         string
	Back           string
	Errors         []layout.FieldError
	Flash          layout.Flash
}

// DevSecret shows an app's AppSecret, this once.
type DevSecret struct {
	AppID       string
	Name        string
	Secret      string
	Rotated     bool // a new secret replaced the old one
	ConsoleHref string
}

// DevConsole is /developer/{appid}: the app, its versions, its stats,
// its balance and its orders.
type DevConsole struct {
	AppID       string
	Name        string
	IconURL     string
	Category    string // its label
	LiveVersion string // "" when none is released
	Suspended   bool
	Base        string // the console's address
	Flash       layout.Flash
	Errors      []layout.FieldError
	Versions    []DevVersion
	CanRollback bool
	Upload      DevUpload
	Active      charts.Chart
	Received    charts.Chart
	ActiveTotal int
	PaidTotal   string // the 14 days' payments, with the currency
	Balance     string // with the currency
	Payout      string // the amount typed, kept after a refusal
	Orders      []DevOrder
	Days        int
}

// DevUpload is the new version's form, as typed.
type DevUpload struct {
	URL, Version, Note string
}

// DevVersion is a version in the console's list, with its actions.
type DevVersion struct {
	ID          string
	Version     string
	Status      string // review, approved, rejected, withdrawn
	StatusLabel string
	Reason      string // the reviewer's, for a rejection
	Note        string
	External    string // an external app's address
	ISO, Date   string // when it was uploaded
	Released    bool
	Previous    bool
	Preview     string // the host page showing this version
	Withdraw    string // actions' addresses, "" when the action is not open
	Release     string
}

// DevOrder is one of the app's orders, with its refund form.
type DevOrder struct {
	No          string
	Description string
	Amount      string // with the currency
	Refunded    string // "" for none
	Status      string
	StatusLabel string
	ISO, Date   string
	Refund      string // the refund form's action, "" when nothing is left to refund
	Left        string // what is left to refund, as an amount to type
}
