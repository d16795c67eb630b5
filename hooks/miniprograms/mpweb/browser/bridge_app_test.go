package browser_test

import (
	"strings"
	"testing"
	"time"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/miniprograms"
)

// The friendly mini program of TestBridgeFriendlyCalls: one button per
// bridge call (#call-<name>); each click first writes "<name> …" into
// <p id=out>, then the call's outcome, "<name> ok <JSON>" or "<name> error
// <code>" (textContent only). #scene shows plaza.launch.scene, #csp any
// CSP violation the frame saw; data-ready on <body> says it has started.

const friendlyHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Bridge Friend</title>
<script src="/public/mp/plaza-bridge.js"></script>
<script src="app.js" defer></script>
</head><body><h1>Bridge Friend</h1><p id="scene"></p><div id="buttons"></div><p id="out"></p><p id="csp"></p></body></html>`

const friendlyJS = `(function () {
  "use strict";
  document.addEventListener("securitypolicyviolation", function (e) {
    var csp = document.getElementById("csp");
    csp.textContent += e.violatedDirective + " " + e.blockedURI + "; ";
  });
  var calls = {
    profile: function () { return plaza.getUserProfile(); },
    set: function () { return plaza.storage.set("k", "v"); },
    get: function () { return plaza.storage.get("k"); },
    keys: function () { return plaza.storage.keys(); },
    remove: function () { return plaza.storage.remove("k"); },
    scan: function () { return plaza.scanCode(); },
    share: function () { return plaza.share({title: "Look"}); },
    close: function () { return plaza.close(); }
  };
  var out = document.getElementById("out");
  Object.keys(calls).forEach(function (name) {
    var b = document.createElement("button");
    b.type = "button";
    b.id = "call-" + name;
    b.textContent = name;
    b.addEventListener("click", function () {
      out.textContent = name + " …";
      calls[name]().then(function (r) {
        out.textContent = name + " ok " + JSON.stringify(r === undefined ? null : r);
      }, function (e) {
        out.textContent = name + " error " + ((e && e.code) || String(e));
      });
    });
    document.getElementById("buttons").appendChild(b);
  });
  document.getElementById("scene").textContent = plaza.launch ? plaza.launch.scene : "none";
  document.body.dataset.ready = "1";
})();
`

// friendlyBundle is the app's bundle with the manifest's permissions.
func friendlyBundle(t *testing.T, name string, perms ...string) []byte {
	t.Helper()
	manifest := `{"name":"` + name + `","entry":"index.html","version":"1.0.0","permissions":["` + strings.Join(perms, `","`) + `"]}`
	if len(perms) == 0 {
		manifest = strings.Replace(manifest, `[""]`, `[]`, 1)
	}
	return zipOf(t, map[string]string{"plaza.json": manifest, "index.html": friendlyHTML, "app.js": friendlyJS})
}

// releaseApp creates an app of dev's, uploads the bundle, passes review
// and releases it.
func releaseApp(t *testing.T, srv *e2e.Server, mp *miniprograms.Service, dev, name string, bundle []byte) miniprograms.App {
	t.Helper()
	a, _, err := mp.CreateApp(dev, miniprograms.AppInput{Name: name, Category: "tools"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := mp.UploadVersion(dev, a.AppID, bundle, "")
	if err == nil {
		err = miniprograms.Review(srv.App, v.ID, true, "")
	}
	if err == nil {
		err = mp.Release(dev, a.AppID, v.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const frameSel = "[data-testid=mp-frame]"

// inFrame reads the text of the frame's element of id ("" while the
// frame has not started).
func inFrame(p *e2e.Page, id string) string {
	var s string
	p.EvalInFrame(frameSel, `(() => { const el = document.body && document.body.dataset.ready === "1" && document.getElementById("`+id+`"); return el ? el.textContent : ""; })()`, &s)
	return s
}

// waitFrame waits until the app in the frame has started and shows the
// scene want.
func waitFrame(t *testing.T, p *e2e.Page, scene string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = inFrame(p, "scene"); got == scene {
			return
		}
	}
	t.Fatalf("the app did not start with scene %q (it shows %q)", scene, got)
}

// tap clicks the app's button of call name (the click writes "name …"
// into #out at once, so a later answer is this call's).
func tap(p *e2e.Page, name string) {
	p.EvalInFrame(frameSel, `document.getElementById("call-`+name+`").click()`, nil)
}

// answer waits for the app's outcome of its last call: "name ok JSON" or
// "name error code".
func answer(t *testing.T, p *e2e.Page) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = inFrame(p, "out"); got != "" && !strings.HasSuffix(got, "…") {
			return got
		}
	}
	t.Fatalf("the app's call had no answer (it shows %q)", got)
	return ""
}

// call taps name and returns its answer; want is its expected beginning.
func call(t *testing.T, p *e2e.Page, name, want string) string {
	t.Helper()
	tap(p, name)
	got := answer(t, p)
	if !strings.HasPrefix(got, want) {
		t.Fatalf("%s answered %q, want %q…", name, got, want)
	}
	return got
}

// sheetOpen waits until the host's sheet (a <dialog>) of testid is open
// and has finished sliding up: a click computed while it moves could land
// on the backdrop, which closes it (the consent sheet: Deny).
func sheetOpen(t *testing.T, p *e2e.Page, testid string) {
	t.Helper()
	js := `(() => { const d = document.querySelector("[data-testid=` + testid + `]");
		return !!d && d.open && d.getAnimations({subtree: true}).length === 0; })()`
	var ok bool
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if p.Eval(js, &ok); ok {
			return
		}
	}
	t.Fatalf("the host's %s did not open", testid)
}
