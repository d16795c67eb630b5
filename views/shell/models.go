package shell

// DiscoverEntry is one line of the Discover tab.
type DiscoverEntry struct {
	ID    string // data-testid "discover-<ID>"
	Label string // in the viewer's language
	Href  string
	Icon  string // "scan", …
	Badge int    // waiting items (0: none)
}
