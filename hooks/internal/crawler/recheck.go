package crawler

import (
	"fmt"
	"strings"
	"testing"
)

// recheck fetches again, once the forms are done, each link that answered
// 404 while the first tab was switching a setting both ways (a friend's
// Moments hidden for a moment hides their posts' links): only one still
// broken fails.
func (c *Community) recheck(t *testing.T, plazaID string, q *queue) {
	q.mu.Lock()
	links := q.recheck
	q.mu.Unlock()
	if len(links) == 0 {
		return
	}
	p := c.Browser.NewPage(t)
	c.Server.SignIn(p, plazaID, c.Passwords[plazaID])
	for _, l := range links {
		var status int
		p.Eval(fmt.Sprintf(`fetch(%q).then((r) => r.status)`, l[1]), &status)
		if status >= 400 {
			t.Errorf("%s links to %s, which answers %d", l[0], l[1], status)
		}
	}
}

// deferred records a 404 seen while the forms ran, for recheck; false
// when the forms are not running (the 404 is a failure now).
func (c *crawler) deferred(from, target string, status int) bool {
	if status != 404 || c.q == nil || !c.q.forms.Load() {
		return false
	}
	c.q.mu.Lock()
	c.q.recheck = append(c.q.recheck, [2]string{from, target})
	c.q.mu.Unlock()
	for _, p := range c.p.TakeProblems() { // the fetch's own console line
		if !strings.Contains(p, target) {
			c.t.Errorf("%s: %s", from, p)
		}
	}
	return true
}
