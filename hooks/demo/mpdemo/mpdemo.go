// Package mpdemo is the server side of `plaza demo`'s two mini programs,
// the Corner Café (a menu, an order, a payment) and the Community Poll (one
// vote per member, results), written as a third-party developer would
// write them: they know members only by openid, keep their own tables
// (mpdemo_*), and reach Plaza only through its signed server API with
// mpclient, over HTTP (mpdemoweb hands those requests to this server's
// own handler, in process). Their bundles are embedded (bundles.go).
package mpdemo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms/mpclient"
)

// The demo mini programs, by the name their server and bundle use.
const (
	Coffee = "coffee"
	Poll   = "poll"
)

// Names are the demo mini programs.
var Names = []string{Coffee, Poll}

// BaseURL is the Plaza server the demo servers call: any host does, the
// requests never leave the process.
const BaseURL = "http://plaza.internal"

// Tables are the demo servers' own tables (docs/ARCHITECTURE.md, "Each
// table has one owner").
func Tables() []string {
	return []string{"mpdemo_apps", "mpdemo_sessions", "mpdemo_orders", "mpdemo_votes"}
}

// Error is a refusal of a demo server: its HTTP status, a stable code the
// bundle tells apart and a message it may show.
type Error struct {
	Status  int            `json:"status"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

func (e *Error) Error() string { return fmt.Sprintf("mpdemo: %d %s", e.Status, e.Code) }

func refuse(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message, Data: map[string]any{}}
}

// Servers are the two demo servers of one Plaza app.
type Servers struct {
	app   core.App
	hc    *http.Client
	clock func() time.Time
}

// New builds the demo servers on app; hc carries their calls to Plaza's
// server API (mpdemoweb's in-process client).
func New(app core.App, hc *http.Client) *Servers {
	return &Servers{app: app, hc: hc, clock: time.Now}
}

// SetClock replaces the servers' clock (tests).
func (s *Servers) SetClock(now func() time.Time) { s.clock = now }

func (s *Servers) now() time.Time { return s.clock().UTC() }

// client is the server API client of the named demo app, as registered
// by `plaza demo` (a 503 demo.not_ready before).
func (s *Servers) client(name string) (*mpclient.Client, string, error) {
	appid, secret, err := AppOf(s.app, name)
	if errors.Is(err, ErrNotSeeded) {
		return nil, "", refuse(http.StatusServiceUnavailable, "demo.not_ready", "This demo is not set up yet: run plaza demo.")
	}
	if err != nil {
		return nil, "", err
	}
	c := mpclient.New(BaseURL, appid, secret, s.hc)
	c.Now = s.clock
	return c, secret, nil
}

// login exchanges a login code with the named app's client; a code Plaza
// refuses is a 401 demo.login_failed.
func (s *Servers) login(ctx context.Context, c *mpclient.Client, code string) (mpclient.Session, error) {
	if code == "" || len(code) > 200 {
		return mpclient.Session{}, refuse(http.StatusBadRequest, "demo.bad_request", "A login code is needed.")
	}
	sess, err := c.Login(ctx, code)
	var apiErr *mpclient.APIError
	if errors.As(err, &apiErr) && apiErr.Status < 500 {
		return mpclient.Session{}, refuse(http.StatusUnauthorized, "demo.login_failed", "Plaza did not accept the login: open the app again.")
	}
	if err != nil {
		return mpclient.Session{}, fmt.Errorf("login: %w", err)
	}
	return sess, nil
}
