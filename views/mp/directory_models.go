package mp

// The directory's view models (Discover → Mini Programs, search, share,
// About's extras, Settings → Mini Programs), built by
// hooks/miniprograms/mpweb/directory*.go.

// DirApp is one app as a directory row: tapping it opens the app with the
// scene of the list it is in.
type DirApp struct {
	AppID        string
	Name         string
	IconURL      string // "" for none: the name's initial shows
	Category     string // its label
	Description  string
	Href         string // /mp/<appid>?scene=…&back=…
	WeeklyActive int    // members this week (Popular only)
	ShowActive   bool
}

// DirCategory is a category chip.
type DirCategory struct {
	Label   string
	Href    string
	Current bool
}

// DirectoryPage is Discover → Mini Programs: a search box, the member's
// starred apps, the apps they used lately, the categories and the apps
// most used this week (of the chosen category).
type DirectoryPage struct {
	Category   string // the chosen category ("" for all)
	Heading    string // "Popular" or the category's label
	Categories []DirCategory
	Starred    []DirApp
	Recent     []DirApp
	Popular    []DirApp
}

// DirSearchPage is the search's results.
type DirSearchPage struct {
	Query      string
	Category   string
	Categories []DirCategory
	Results    []DirApp
	Searched   bool // a query or a category was given
}

// DirPick is a chat (or a friend without one) a share may go to.
type DirPick struct {
	ID      string
	Label   string
	Avatar  string
	Initial string
}

// DirSharePage picks the chats an app's card goes to.
type DirSharePage struct {
	App    DirApp
	Action string
	Title  string // what the app asked to share with ("" for none): a note only
	Back   string // the host's close button, kept for the way back
	Token  string // the form's one-time id
	Chats  []DirPick
	Max    int
	Error  string
}

// DirAboutExtra is what About shows below the app's own About: its code
// and the ways to share, star and report it.
type DirAboutExtra struct {
	AppID      string
	QR         string // the code's picture ("" for an app not live)
	ShareHref  string
	ReportHref string
	StarHref   string
	Starred    bool
	Back       string // the star form's way back
}

// DirPermissionsPage is Settings → Mini Programs: the apps the member let
// see their name and photo, each with Remove.
type DirPermissionsPage struct {
	Apps []DirApp
}

// dirStarDone is the toast's key after the star form.
func dirStarDone(starred bool) string {
	if starred {
		return "mp.host_unstarred"
	}
	return "mp.host_starred"
}

// dirPressed is aria-pressed's value.
func dirPressed(on bool) string {
	if on {
		return "true"
	}
	return "false"
}
