package demo_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/demo/mpdemo"
	"plaza/hooks/internal/testapp"
)

// checkDemoMiniPrograms checks the demo's mini programs: the Corner Café
// (alice_w's) and the Community Poll (jack_m's) are live with one
// released version each, and their servers hold the AppSecret that
// signs for them. It returns the number of versions, which a second run
// must not change.
func checkDemoMiniPrograms(t *testing.T, app core.App) int {
	t.Helper()
	svc := testapp.Services(t, app).MP
	versions := 0
	for name, dev := range map[string]string{mpdemo.Coffee: "alice_w", mpdemo.Poll: "jack_m"} {
		appid, secret, err := mpdemo.AppOf(app, name)
		if err != nil || len(secret) < 32 {
			t.Fatalf("%s: the demo server has no app: %v", name, err)
		}
		m, err := accounts.FindByPlazaID(app, dev)
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.Own(m.Id, appid)
		if err != nil || !a.Live() || a.ServerURL != "/mp-demo/"+name+"/" {
			t.Fatalf("%s: %+v %v", name, a, err)
		}
		vs, err := svc.Versions(m.Id, appid)
		if err != nil || len(vs) != 1 || !vs[0].Released {
			t.Fatalf("%s versions: %+v %v", name, vs, err)
		}
		versions += len(vs)
	}
	return versions
}
