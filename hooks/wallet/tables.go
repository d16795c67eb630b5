package wallet

// Tables are the tables only this package's SQL may name (docs/ARCHITECTURE.md,
// "Each table has one owner"); other modules call its operations.
func Tables() []string {
	return []string{"wallet_accounts", "wallet_entries", "wallet_postings", "wallet_requests", "wallet_pins", "wallet_transfers",
		"wallet_vouchers", "wallet_mints", "wallet_withdrawals", "red_packets", "red_packet_claims", "aa_requests", "aa_shares"}
}
