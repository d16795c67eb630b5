package shell

// DiscoverEntry is one line of the Discover tab.
type DiscoverEntry struct {
	ID    string // data-testid "discover-<ID>"
	Label string // in the viewer's language
	Href  string
	Icon  string // "scan", …
	Badge int    // waiting items (0: none)
	Dot   *Dot   // something new to look at (Moments: a friend posted), nil: none
}

// Dot is the small picture beside a Discover entry: the latest poster's
// avatar on Moments, with a red dot.
type Dot struct {
	Avatar  string // "" draws the initial
	Initial string
	Label   string // read out: "New posts from Alice"
}
