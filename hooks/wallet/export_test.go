package wallet

// The tests that drive the ledger directly (wallet_test.go, model_test.go,
// …) were written before the PIN rule (issue 11) and call payment
// operations without a PIN: in this package's test binary only, a new
// wallet lets a payment given no PIN run unchecked. A PIN given is always
// checked. pin_rule_test.go restores the rule with RequirePIN. No build of
// Plaza compiles this file.
func init() { pinOptionalDefault = true }

// RequirePIN makes w refuse a payment without a PIN, as every build of
// Plaza does.
func RequirePIN(w *Wallet) { w.pinOptional = false }
