package contacts

import (
	"fmt"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Circles keeps members' circles (Circle) between reads for one app. A
// cached circle is used only while contacts_circle_version, which SQLite
// triggers raise on every change to contacts or blocks (whatever wrote
// it), is the number it was read under; inside a transaction it is never
// used or filled, since what a transaction sees may yet roll back.
type Circles struct {
	mu sync.Mutex
	v  int64             // the version the cached circles were read under
	by map[string]circle // by member
}

type circle map[string]Tie

// circlesKept bounds the cache: past it, it starts again empty.
const circlesKept = 4096

// NewCircles is an empty cache (one per app: hooks.Register's services
// each make theirs).
func NewCircles() *Circles { return &Circles{by: map[string]circle{}} }

// Of is Circle(app, memberID), from the cache when nothing changed since.
// app is the caller's (a transaction reads straight through). The map is
// shared: callers must not change it.
func (c *Circles) Of(app core.App, memberID string) (map[string]Tie, error) {
	if app.IsTransactional() {
		return Circle(app, memberID)
	}
	// The version is read before the circle: a change committed between
	// the two leaves a newer circle under an older number (read again
	// next time), never an older circle under a newer one.
	var v int64
	if err := app.DB().NewQuery(`SELECT v FROM contacts_circle_version WHERE id = 1`).Row(&v); err != nil {
		return nil, fmt.Errorf("read circle version: %w", err)
	}
	c.mu.Lock()
	if v > c.v {
		c.v, c.by = v, map[string]circle{}
	}
	got, ok := c.by[memberID]
	if v < c.v { // a reader behind a newer one: read through
		ok = false
	}
	c.mu.Unlock()
	if ok {
		return got, nil
	}
	fresh, err := Circle(app, memberID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.v == v {
		if len(c.by) >= circlesKept {
			c.by = map[string]circle{}
		}
		c.by[memberID] = fresh
	}
	c.mu.Unlock()
	return fresh, nil
}
