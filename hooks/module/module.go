// Package module is the registry through which Plaza's modules plug into
// each other and into the app shell: chat card types, tab and Discover
// badges, Discover entries, scan-link kinds, socket frame kinds, and the
// few cross-module events (a friend request accepted, a session signed
// out, who may open whose card).
//
// hooks.Register makes one Registry, hands it to every domain's service
// as it is built, and each domain adds its entries there before the app
// serves. Nothing is global: two apps in one process (as in tests) have two
// registries. The package imports nothing of Plaza, so every domain may
// import it.
package module

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Registry holds what the modules registered. Adding happens while the
// app is being built (a duplicate name is a programming error and panics);
// reading happens while it serves. It is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	cards    map[string]CardType
	badges   []badge
	discover []Entry
	dots     map[string]dot
	scan     map[string]string // link kind → owner
	frames   map[string]FrameKind
	accepted []AcceptedFunc
	reach    []CardReach
	signOut  []func(memberID string)
	folders  []ChatFolder
}

// New makes an empty registry.
func New() *Registry {
	return &Registry{cards: map[string]CardType{}, scan: map[string]string{}, frames: map[string]FrameKind{}}
}

// --- badges and Discover --------------------------------------------------------

// BadgeFunc counts what waits for a member at one place (new friend
// requests, unread messages…). It must be cheap: it runs on every page.
type BadgeFunc func(app core.App, memberID string) (int, error)

// Places a badge may sit: the four tabs, or a Discover entry's ID.
const (
	PlaceChats    = "chats"
	PlaceContacts = "contacts"
	PlaceDiscover = "discover"
	PlaceMe       = "me"
)

type badge struct {
	owner  string
	places []string
	count  BadgeFunc
}

// AddBadge puts one count on one or more places (a tab, a Discover
// entry's ID): it is counted once per page and shown on each. Counts of
// one place add up.
func (r *Registry) AddBadge(owner string, count BadgeFunc, places ...string) {
	if len(places) == 0 {
		panic("module: badge of " + owner + " has no place")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.badges = append(r.badges, badge{owner: owner, places: places, count: count})
}

// Badges are the member's counts by place. A count that fails is logged
// and left out: a badge is not worth a broken page.
func (r *Registry) Badges(app core.App, memberID string) map[string]int {
	r.mu.RLock()
	bs := r.badges
	r.mu.RUnlock()
	out := map[string]int{}
	for _, b := range bs {
		n, err := b.count(app, memberID)
		if err != nil {
			app.Logger().Warn("module: badge failed", "owner", b.owner, "error", err.Error())
			continue
		}
		for _, place := range b.places {
			out[place] += n
		}
	}
	return out
}

// Entry is one line of the Discover tab (Scan, Moments, Channels, Mini
// Programs…).
type Entry struct {
	ID    string // stable name; also the place of its badge and its data-testid ("discover-<ID>")
	Owner string
	Label string // i18n key
	Href  string // local path it opens
	Icon  string // name of an icon the shell draws ("scan", …)
	Order int    // lower comes first; ties by ID
	// Paths are the path prefixes of the entry's pages (Href's own
	// included when empty): an error page there shows the Discover tab.
	Paths []string
}

// AddDiscover adds a Discover entry.
func (r *Registry) AddDiscover(e Entry) {
	if e.ID == "" || e.Label == "" || e.Href == "" {
		panic(fmt.Sprintf("module: Discover entry %+v needs ID, Label and Href", e))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, old := range r.discover {
		if old.ID == e.ID {
			panic("module: Discover entry " + e.ID + " registered twice")
		}
	}
	r.discover = append(r.discover, e)
	sort.SliceStable(r.discover, func(i, j int) bool {
		a, b := r.discover[i], r.discover[j]
		return a.Order < b.Order || a.Order == b.Order && a.ID < b.ID
	})
}

// Discover are the Discover tab's entries in order.
func (r *Registry) Discover() []Entry {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.discover)
}

// DotFunc names the member whose avatar a Discover entry's dot shows to
// memberID, "" for no dot (Moments: the friend who posted last since the
// member looked).
type DotFunc func(app core.App, memberID string) (string, error)

type dot struct {
	owner string
	who   DotFunc
}

// AddDot puts a dot with someone's avatar beside a Discover entry.
func (r *Registry) AddDot(entryID, owner string, who DotFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dots == nil {
		r.dots = map[string]dot{}
	}
	if old, dup := r.dots[entryID]; dup {
		panic("module: Discover dot " + entryID + " registered by " + old.owner + " and " + owner)
	}
	r.dots[entryID] = dot{owner: owner, who: who}
}

// Dot is the member whose avatar entryID's dot shows to memberID ("" for
// none). A failure is logged and shows no dot.
func (r *Registry) Dot(app core.App, entryID, memberID string) string {
	r.mu.RLock()
	d, ok := r.dots[entryID]
	r.mu.RUnlock()
	if !ok {
		return ""
	}
	who, err := d.who(app, memberID)
	if err != nil {
		app.Logger().Warn("module: Discover dot failed", "entry", entryID, "owner", d.owner, "error", err.Error())
		return ""
	}
	return who
}

// --- scan kinds -------------------------------------------------------------------

// AddScanKind lets the Scan page open signed links of kind (hooks/links):
// the owner serves the link's route, which verifies it.
func (r *Registry) AddScanKind(kind, owner string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, dup := r.scan[kind]; dup {
		panic("module: scan kind " + kind + " registered by " + old + " and " + owner)
	}
	r.scan[kind] = owner
}

// Scannable reports whether the Scan page opens links of kind.
func (r *Registry) Scannable(kind string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.scan[kind]
	return ok
}

// --- socket frames ------------------------------------------------------------------

// FrameFunc handles one frame a member's socket sent (its raw JSON,
// {"t": kind, …}). A non-nil reply is sent back on that socket; an error
// that is a problem.Problem goes back as an error frame.
type FrameFunc func(ctx context.Context, app core.App, memberID string, frame json.RawMessage) (reply any, err error)

// FrameKind is one type of frame a client may send on the socket.
type FrameKind struct {
	Kind   string
	Owner  string
	Handle FrameFunc // nil for the socket's own kinds (chat handles them itself)
}

// AddFrame registers a client frame kind.
func (r *Registry) AddFrame(k FrameKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, dup := r.frames[k.Kind]; dup {
		panic("module: frame kind " + k.Kind + " registered by " + old.Owner + " and " + k.Owner)
	}
	r.frames[k.Kind] = k
}

// Frame is the registered frame kind named kind.
func (r *Registry) Frame(kind string) (FrameKind, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	k, ok := r.frames[kind]
	return k, ok
}

// --- cross-module events ---------------------------------------------------------

// AcceptedFunc runs after a friend request was accepted and committed:
// acceptor said yes, requester asked. It returns the page to show the
// acceptor next ("" for none).
type AcceptedFunc func(app core.App, acceptorID, requesterID string) (next string, err error)

// OnFriendAccepted adds f to what runs after each accepted friend request
// (chat opens the two's chat with its "You have added X" notice).
func (r *Registry) OnFriendAccepted(f AcceptedFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.accepted = append(r.accepted, f)
}

// FriendAccepted runs the OnFriendAccepted functions and returns the first
// page one of them named. A failure there is logged, not the member's
// problem: the friendship stands.
func (r *Registry) FriendAccepted(app core.App, acceptorID, requesterID string) string {
	r.mu.RLock()
	fs := r.accepted
	r.mu.RUnlock()
	next := ""
	for _, f := range fs {
		n, err := f(app, acceptorID, requesterID)
		if err != nil {
			app.Logger().Error("module: after a friend request was accepted", "error", err.Error())
			continue
		}
		if next == "" {
			next = n
		}
	}
	return next
}

// CardReach reports whether viewer may open other's contact card although
// they are not friends.
type CardReach func(app core.App, viewerID, otherID string) (bool, error)

// AllowCardWhen opens contact cards beyond friends when reach says so
// (chat: members of one group see each other's cards, as in WeChat).
func (r *Registry) AllowCardWhen(reach CardReach) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reach = append(r.reach, reach)
}

// CardReachable reports whether any AllowCardWhen function lets viewer
// open other's card.
func (r *Registry) CardReachable(app core.App, viewerID, otherID string) (bool, error) {
	r.mu.RLock()
	fs := r.reach
	r.mu.RUnlock()
	for _, f := range fs {
		if ok, err := f(app, viewerID, otherID); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// OnSignOut adds f to what runs when a member signs out of one session
// (chat closes their sockets: each other session reconnects by itself).
func (r *Registry) OnSignOut(f func(memberID string)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.signOut = append(r.signOut, f)
}

// SignedOut runs the OnSignOut functions.
func (r *Registry) SignedOut(memberID string) {
	r.mu.RLock()
	fs := r.signOut
	r.mu.RUnlock()
	for _, f := range fs {
		f(memberID)
	}
}
