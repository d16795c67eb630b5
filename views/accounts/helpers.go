package accounts

func activeCell(active bool) string {
	if active {
		return "bg-page"
	}
	return ""
}
