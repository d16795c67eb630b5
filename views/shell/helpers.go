package shell

func activeClass(active bool) string {
	if active {
		return "bg-page"
	}
	return ""
}
