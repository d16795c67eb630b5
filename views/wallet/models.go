// Package wallet renders the wallet: balance, the pay PIN, transfers, red
// packets, collect codes and paying, AA collection, withdrawals and bills.
package wallet

import "plaza/views/layout"

// Home is the wallet's front page.
type Home struct {
	Balance   string // "¥1,234.50"
	HasPIN    bool
	Locked    string // when payments unlock, if locked
	Flash     layout.Flash
	Key       string // idempotency key of the voucher form
	Code      string
	Errors    []layout.FieldError
	Withdraws []Withdrawal
}

// Withdrawal is one of the member's withdrawal requests.
type Withdrawal struct {
	Amount string
	State  string // translated
	At     string
}

// PINForm sets or changes the pay PIN.
type PINForm struct {
	Change bool // a PIN exists: ask for the old PIN or the password
	Next   string
	Flash  layout.Flash
	Errors []layout.FieldError
}

// PayFields are what every payment form carries: the idempotency key, the
// PIN and where a missing PIN is set.
type PayFields struct {
	Key    string
	HasPIN bool
	Here   string // this page, to come back to after setting the PIN
	Symbol string // the currency symbol, for the amount on the PIN sheet
}

// TransferForm sends a transfer in a 1:1 chat.
type TransferForm struct {
	PayFields
	Conv    string
	To      string // the recipient's name
	Amount  string
	Note    string
	Balance string
	Flash   layout.Flash
	Errors  []layout.FieldError
}

// TransferView is a transfer's page.
type TransferView struct {
	ID, Amount, Note, State, StateKey string
	From, To                          string
	Conv                              string
	CanAct                            bool // the recipient, while pending
	Expires                           string
	Flash                             layout.Flash
}

// Option is a choice in a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// PacketForm sends a red packet.
type PacketForm struct {
	PayFields
	Conv     string
	Group    bool
	Members  int
	Kind     string
	Count    string
	Amount   string
	Greeting string
	Targets  []Option
	Balance  string
	Flash    layout.Flash
	Errors   []layout.FieldError
}

// ClaimRow is one line of a red packet's claim list.
type ClaimRow struct {
	Name     string
	Amount   string
	At       string
	Luckiest bool
}

// PacketView is a red packet's page.
type PacketView struct {
	ID, Greeting, From, Kind, State string
	Total                           string
	Count, Claimed                  int
	CanOpen                         bool
	Mine                            string // the viewer's amount, once opened
	Claims                          []ClaimRow
	Commitment, Seed                string
	Note                            string // why it cannot be opened
	Conv                            string
	Flash                           layout.Flash
}

// CollectView is the "Receive money" page.
type CollectView struct {
	QR        string // the QR image URL
	Link      string // the absolute link in the code
	Amount    string // fixed amount shown, if any
	Errors    []layout.FieldError
	Name      string // the payee (me), as payers will see them
	AvatarURL string
	Initial   string
}

// PayForm pays a collect code.
type PayForm struct {
	PayFields
	Payee     string
	PayeeID   string // Plaza ID
	AvatarURL string
	Initial   string
	Fixed     string // a fixed amount, "" for an open code
	Amount    string
	Memo      string
	Link      string // the signed link, posted back
	Balance   string
	Flash     layout.Flash
	Errors    []layout.FieldError
}

// AAForm starts an AA collection in a group.
type AAForm struct {
	Conv    string
	Key     string
	Title   string
	Each    string
	Members []Option
	Flash   layout.Flash
	Errors  []layout.FieldError
}

// AAShareRow is one member's share of an AA collection.
type AAShareRow struct {
	Name   string
	Amount string
	Paid   bool
	Mine   bool
}

// AAView is an AA collection's page.
type AAView struct {
	PayFields
	ID, Title, Organiser, Conv string
	Shares                     []AAShareRow
	PaidCount                  int
	CanPay                     bool
	MyAmount                   string
	Flash                      layout.Flash
	Errors                     []layout.FieldError // a PIN refusal, for the PIN field
}

// WithdrawForm asks for a withdrawal.
type WithdrawForm struct {
	PayFields
	Amount  string
	Details string
	Balance string
	Flash   layout.Flash
	Errors  []layout.FieldError
}

// BillRow is one line of the bills.
type BillRow struct {
	Entry  string
	Kind   string // translated
	With   string // the other member, if any
	Amount string // signed: "+3.50" or "-3.50"
	In     bool
	At     string
}

// Bills is the bills page.
type Bills struct {
	Month   string // "2026-11"
	Kind    string // "", "in", "out" or an entry kind
	Months  []Option
	Kinds   []Option
	In, Out string
	Rows    []BillRow
	CSV     string
}

// BillDetail is one bill.
type BillDetail struct {
	Kind, Amount, With, Memo, At, Entry, Balance string
	In                                           bool
	Link                                         string // the transfer, packet… it belongs to
	Paid                                         bool   // shown right after paying: the success screen
}
