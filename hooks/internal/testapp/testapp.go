// Package testapp builds real Plaza apps for tests: PocketBase's test app on
// a temp data dir with Plaza's migrations and every hook registered, plus
// seed helpers. Every package's tests start here.
package testapp

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/crypto/bcrypt"

	"plaza/hooks"
	"plaza/hooks/contacts"
	_ "plaza/pb_migrations" // Plaza's schema
	"plaza/public"
)

// DefaultPassword is the password of members made by CreateMember.
const DefaultPassword = "correct-horse-9"

// New returns a fresh, migrated Plaza app with all hooks registered; it is
// cleaned up when the test ends. The rate limiter is off unless a test turns
// it on (tests send many requests from one address).
//
// The schema is migrated once per test process into a template data dir
// (see migratedTemplate); each app starts from a copy of it, which takes a
// few milliseconds instead of the half second that running every migration
// takes.
func New(t testing.TB) *tests.TestApp {
	t.Helper()
	dir, err := migratedTemplate()
	if err != nil {
		t.Fatalf("testapp: %v", err)
	}
	app, err := tests.NewTestApp(dir)
	if err != nil {
		t.Fatalf("testapp: %v", err)
	}
	t.Cleanup(app.Cleanup)
	Register(t, app)
	app.Settings().RateLimits.Enabled = false
	return app
}

// Register runs hooks.Register on an app a test built by hand (a data dir
// of its own, a restart) and remembers its services for Services.
func Register(t testing.TB, app core.App) *hooks.Plaza {
	t.Helper()
	p, err := hooks.Register(app, public.FS)
	if err != nil {
		t.Fatalf("testapp: register hooks: %v", err)
	}
	plazas.Store(app, p)
	t.Cleanup(func() { plazas.Delete(app) })
	return p
}

// plazas are the services hooks.Register built for each test app.
var plazas sync.Map // core.App → *hooks.Plaza

// Services are the registry and domain services hooks.Register built for
// an app made by New (tests reach the chat service, the wallet… here).
func Services(t testing.TB, app core.App) *hooks.Plaza {
	t.Helper()
	p, ok := plazas.Load(app)
	if !ok {
		t.Fatal("testapp: Services of an app neither testapp.New nor testapp.Register made")
	}
	return p.(*hooks.Plaza)
}

var template struct {
	once sync.Once
	dir  string
	err  error
}

// templatePrefix names the template dirs in the system temp dir; the
// process id follows it, so a later run can remove the dirs of processes
// that have ended (a test binary has no hook that runs at its exit).
const templatePrefix = "plaza-testapp-"

// migratedTemplate returns a data dir holding a fully migrated, empty Plaza
// database, made once per test process. tests.NewTestApp copies it for each
// test, then runs the migrations it lacks (none).
func migratedTemplate() (string, error) {
	template.once.Do(func() {
		removeStaleTemplates()
		dir, err := os.MkdirTemp("", templatePrefix+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			template.err = fmt.Errorf("template data dir: %w", err)
			return
		}
		// The same encryption env as tests.NewTestApp, so settings read back.
		base := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env"})
		if err := base.Bootstrap(); err != nil {
			template.err = fmt.Errorf("template bootstrap: %w", err)
			return
		}
		if err := base.RunAllMigrations(); err != nil {
			template.err = fmt.Errorf("template migrations: %w", err)
			return
		}
		if err := cheapPasswords(base); err != nil {
			template.err = fmt.Errorf("template password cost: %w", err)
			return
		}
		if err := base.ResetBootstrapState(); err != nil { // closes (and checkpoints) the databases
			template.err = fmt.Errorf("template close: %w", err)
			return
		}
		template.dir = dir
	})
	return template.dir, template.err
}

// cheapPasswords sets bcrypt's lowest cost on every auth collection's
// password field. At the default cost, hashing the password of the members a
// test creates, and checking it at each sign-in, took about two thirds of the
// CPU of the tests; the cost is the only thing that changes, not the rules.
func cheapPasswords(app core.App) error {
	cols, err := app.FindAllCollections(core.CollectionTypeAuth)
	if err != nil {
		return err
	}
	for _, c := range cols {
		f, ok := c.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField)
		if !ok {
			continue
		}
		f.Cost = bcrypt.MinCost
		if err := app.Save(c); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	return nil
}

// removeStaleTemplates removes the template dirs of test processes that no
// longer run.
func removeStaleTemplates() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), templatePrefix+"*"))
	for _, d := range dirs {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), templatePrefix), "-")
		if _, err := strconv.Atoi(pid); err != nil {
			continue
		}
		if _, err := os.Stat("/proc/" + pid); os.IsNotExist(err) {
			_ = os.RemoveAll(d)
		}
	}
}

// Factory adapts New for tests.ApiScenario.TestAppFactory. Scenarios that
// seed data do it in BeforeTestFunc.
func Factory(t testing.TB) *tests.TestApp { return New(t) }

// CreateMember adds a member with DefaultPassword and returns the record.
func CreateMember(t testing.TB, app core.App, plazaID string) *core.Record {
	t.Helper()
	c, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("plaza_id", plazaID)
	r.Set("name", plazaID)
	r.SetEmail(plazaID + "@example.test")
	r.SetPassword(DefaultPassword)
	r.SetVerified(true)
	if err := app.Save(r); err != nil {
		t.Fatalf("create member %s: %v", plazaID, err)
	}
	return r
}

// Befriend makes a and b friends: a sends a friend request found by ID
// search, b accepts it through the contacts service. Their 1:1 chat is
// opened by the acceptance's web side (the registry's FriendAccepted), not
// here.
func Befriend(t testing.TB, app core.App, a, b *core.Record) {
	t.Helper()
	cs := Services(t, app).Contacts
	r, err := cs.SendRequest(a, b, contacts.RequestInput{Source: contacts.SourceID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Accept(b, r.Id, contacts.AcceptInput{}); err != nil {
		t.Fatal(err)
	}
}

// PNG is a w×h PNG image with a diagonal red line, for upload tests.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Token returns a PocketBase auth token for the member, for the
// Authorization header of API requests.
func Token(t testing.TB, member *core.Record) string {
	t.Helper()
	tok, err := member.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// SessionCookie returns the Cookie header value that signs the member in to
// the web app, as the browser would send it.
func SessionCookie(t testing.TB, member *core.Record) string {
	return (&http.Cookie{Name: "plaza_session", Value: Token(t, member)}).String()
}

// SetRegistrationMode changes the community's registration mode.
func SetRegistrationMode(t testing.TB, app core.App, mode string) {
	t.Helper()
	r, err := app.FindRecordById("settings", "plazasettings01")
	if err != nil {
		t.Fatal(err)
	}
	r.Set("registration_mode", mode)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// Handler returns the app's full HTTP handler (router, middlewares, every
// route), for tests that make several requests against one app. Every
// answer under /api/plaza/ is checked against docs/openapi.yaml
// (checkContract). It is built
// once per app (PocketBase binds serve hooks each time a router is made).
func Handler(t testing.TB, app core.App) http.Handler {
	t.Helper()
	if h, ok := app.Store().Get(handlerKey).(http.Handler); ok {
		return h
	}
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		h = checkContract(t, mux)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	app.Store().Set(handlerKey, h)
	return h
}

const handlerKey = "plaza.testapp.handler"

// Do sends one same-origin request to h: a form body when body is not empty.
func Do(h http.Handler, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
