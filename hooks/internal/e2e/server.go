package e2e

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"plaza/hooks/internal/testapp"
)

// Server is a real Plaza server for a browser test: the full app (every
// hook, route and middleware) on a temp data dir, listening on a free
// 127.0.0.1 port.
type Server struct {
	URL string
	App *tests.TestApp
}

// StartServer starts Plaza for the test and stops it when the test ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	app := testapp.New(t)
	handler := testapp.Handler(t, app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("e2e: listen: %v", err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("e2e: serve: %v", err)
		}
	}()
	t.Cleanup(func() { _ = srv.Close() })

	s := &Server{URL: "http://" + ln.Addr().String(), App: app}
	app.Settings().Meta.AppURL = s.URL // links in mails point here
	return s
}

// Member creates a member with testapp.DefaultPassword.
func (s *Server) Member(t testing.TB, plazaID string) *core.Record {
	return testapp.CreateMember(t, s.App, plazaID)
}

// SignIn signs a member in through the sign-in page and waits for the app.
func (s *Server) SignIn(p *Page, identity, password string) {
	p.Navigate(s.URL + "/login")
	p.Fill("#f-identity", identity)
	p.Fill("#f-password", password)
	p.Click("[data-testid=signin-submit]")
	p.WaitVisible("[data-testid=tabbar]")
}
