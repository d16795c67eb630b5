package mpweb_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/oa"
)

// TestDirectoryHidesAppsNotLive: an app without a released version is
// nowhere for other members (directory, search, About, share, report,
// code, JSON: the one 404), while its developer sees its About and info.
func TestDirectoryHidesAppsNotLive(t *testing.T) {
	w := newDirWorld(t)
	live := w.makeApp("Corner Coffee", "food", "Order ahead", true, nil)
	draft := w.makeApp("Secret Coffee", "food", "Not yet", false, nil)

	body := w.page(w.bo, "/mp", 200)
	if !strings.Contains(body, live.AppID) || strings.Contains(body, draft.AppID) {
		t.Fatal("the directory shows the draft, or not the live app")
	}
	if body := w.page(w.bo, "/mp/search?q=Coffee", 200); !strings.Contains(body, live.AppID) || strings.Contains(body, draft.AppID) {
		t.Fatal("the search shows the draft, or not the live app")
	}
	for _, p := range []string{"/about", "/share", "/report", "/qr.png"} {
		w.page(w.bo, "/mp/"+draft.AppID+p, 404)
	}
	w.api(w.bo, "GET", "/api/plaza/mp/apps/"+draft.AppID, "", 404, nil)
	w.api(w.bo, "POST", "/api/plaza/mp/apps/"+draft.AppID+"/report", `{"reason":"spam"}`, 404, nil)
	var found struct{ Items []map[string]any }
	w.api(w.bo, "GET", "/api/plaza/mp/search?q=Secret", "", 200, &found)
	if len(found.Items) != 0 {
		t.Fatalf("the JSON search finds the draft: %v", found.Items)
	}

	// Its developer sees it (not live) and cannot share it yet.
	if body := w.page(w.dev, "/mp/"+draft.AppID+"/about", 200); !strings.Contains(body, "Secret Coffee") || strings.Contains(body, "mp-about-qr") {
		t.Error("the developer's About of a draft is wrong")
	}
	var info map[string]any
	w.api(w.dev, "GET", "/api/plaza/mp/apps/"+draft.AppID, "", 200, &info)
	if info["live"] != false || info["version"] != "" {
		t.Errorf("the draft's info: %v", info)
	}
	w.page(w.dev, "/mp/"+draft.AppID+"/share", 404)

	// Signed out: pages lead to sign in, JSON is refused.
	dirRedirects(t, "a visitor's directory", w.get(nil, "/mp"), "/login?next=")
	w.api(nil, "GET", "/api/plaza/mp/directory", "", 401, nil)
}

// TestDirectorySearchOneChineseCharacter: one character finds an app by
// its name; categories narrow the search and the directory.
func TestDirectorySearchOneChineseCharacter(t *testing.T) {
	w := newDirWorld(t)
	coffee := w.makeApp("街角咖啡", "food", "手冲和拿铁", true, nil)
	game := w.makeApp("Sudoku", "games", "Numbers", true, nil)

	body := w.page(w.bo, "/mp/search?q="+url.QueryEscape("咖"), 200)
	if got := dirRows(body, "mp-search-results"); !slices.Equal(got, []string{coffee.AppID}) {
		t.Fatalf("search 咖: %v", got)
	}
	if !strings.Contains(body, "scene=search") {
		t.Error("a result does not open with scene search")
	}
	w.page(w.bo, "/mp/search?q="+url.QueryEscape("咖")+"&category=games", 200)
	if body := w.page(w.bo, "/mp/search?q="+url.QueryEscape("咖")+"&category=games", 200); !strings.Contains(body, "mp-search-empty") {
		t.Error("a search in another category finds the app")
	}
	if body := w.page(w.bo, "/mp/search", 200); !strings.Contains(body, "mp-search-hint") {
		t.Error("an empty search shows no hint")
	}
	if got := dirRows(w.page(w.bo, "/mp?category=games", 200), "mp-popular"); !slices.Equal(got, []string{game.AppID}) {
		t.Errorf("category games: %v", got)
	}
	var found struct{ Items []struct{ AppID string } }
	w.api(w.bo, "GET", "/api/plaza/mp/search?q="+url.QueryEscape("拿"), "", 200, &found)
	if len(found.Items) != 1 || found.Items[0].AppID != coffee.AppID {
		t.Errorf("JSON search 拿: %v", found.Items)
	}
	w.api(w.bo, "GET", "/api/plaza/mp/search?category=nope", "", 400, nil)
}

// TestDirectoryStarRecentPopular: starring (the form and JSON), recently
// used after opening, and Popular ordered by this week's members.
func TestDirectoryStarRecentPopular(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Alpha", "tools", "", true, nil)
	b := w.makeApp("Beta", "tools", "", true, nil)
	if body := w.page(w.bo, "/mp", 200); !strings.Contains(body, "mp-starred-empty") || !strings.Contains(body, "mp-recent-empty") {
		t.Fatal("a new member's directory shows no empty states")
	}

	dirRedirects(t, "star", w.form(w.bo, "/mp/"+b.AppID+"/star", url.Values{"on": {"1"}, "back": {"/mp"}}), "/mp")
	if got := dirRows(w.page(w.bo, "/mp", 200), "mp-starred-list"); !slices.Equal(got, []string{b.AppID}) {
		t.Fatalf("starred: %v", got)
	}
	dirRedirects(t, "unstar", w.form(w.bo, "/mp/"+b.AppID+"/star", url.Values{"on": {"0"}, "back": {"https://evil.example/"}}), "/mp")
	if got := dirRows(w.page(w.bo, "/mp", 200), "mp-starred-list"); len(got) != 0 {
		t.Fatalf("unstarred still listed: %v", got)
	}

	// Bo opens both, Cy opens Alpha: Alpha is first with 2 members.
	w.page(w.bo, miniprograms.OpenPath(b.AppID, "directory"), 200)
	w.page(w.bo, miniprograms.OpenPath(a.AppID, "directory"), 200)
	w.page(w.cy, miniprograms.OpenPath(a.AppID, "search"), 200)
	body := w.page(w.bo, "/mp", 200)
	if got := dirRows(body, "mp-recent-list"); len(got) != 2 {
		t.Errorf("recent: %v", got)
	}
	if got := dirRows(body, "mp-popular"); !slices.Equal(got, []string{a.AppID, b.AppID}) {
		t.Errorf("popular: %v", got)
	}
	if !strings.Contains(body, `data-count="2"`) || !strings.Contains(body, "/mp/"+a.AppID+"?scene=recent&amp;back=%2Fmp") {
		t.Error("popular lacks the count, or recent the scene and the way back")
	}
	var dir struct {
		Starred, Recent []map[string]any
		Popular         []struct {
			AppID        string `json:"appid"`
			WeeklyActive int    `json:"weekly_active"`
		}
	}
	w.api(w.bo, "GET", "/api/plaza/mp/directory", "", 200, &dir)
	if len(dir.Popular) != 2 || dir.Popular[0].AppID != a.AppID || dir.Popular[0].WeeklyActive != 2 || dir.Popular[1].WeeklyActive != 1 {
		t.Errorf("JSON popular: %+v", dir.Popular)
	}
	if len(dir.Recent) != 2 || len(dir.Starred) != 0 {
		t.Errorf("JSON recent/starred: %d %d", len(dir.Recent), len(dir.Starred))
	}
}

// TestDirectoryAboutAndReport: About names the developer, the released
// version and the screenshots (served to members), has the code; the
// report form files.
func TestDirectoryAboutAndReport(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Gallery", "life", "Pictures", true, func(in *miniprograms.AppInput) {
		in.Icon = w.file("i.png", testapp.PNG(t, 32, 32))
		in.Screenshots = append(in.Screenshots, w.file("s.png", testapp.PNG(t, 60, 100)))
	})
	body := w.page(w.bo, "/mp/"+a.AppID+"/about", 200)
	for _, want := range []string{`data-testid="mp-about-version">1.0.0`, "dev001", "/mp/" + a.AppID + "/qr.png", "scene=directory"} {
		if !strings.Contains(body, want) {
			t.Errorf("About lacks %q", want)
		}
	}
	if len(a.Screenshots) != 1 {
		t.Fatalf("screenshots: %v", a.Screenshots)
	}
	shot := "/mp/" + a.AppID + "/screenshots/" + a.Screenshots[0]
	if !strings.Contains(body, shot) {
		t.Error("About lacks the screenshot")
	}
	if rec := w.get(w.bo, shot); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/") {
		t.Errorf("screenshot: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	w.page(w.bo, "/mp/"+a.AppID+"/screenshots/other.png", 404)
	w.page(w.bo, "/mp/"+a.AppID+"/report", 200)
	if rec := w.form(w.bo, "/mp/"+a.AppID+"/report", url.Values{"reason": {"bogus"}}); rec.Code != 400 {
		t.Errorf("a bad reason: %d", rec.Code)
	}
	if rec := w.form(w.bo, "/mp/"+a.AppID+"/report", url.Values{"reason": {"spam"}, "note": {"ads"}}); rec.Code != 200 {
		t.Errorf("a report: %d", rec.Code)
	}
	w.api(w.cy, "POST", "/api/plaza/mp/apps/"+a.AppID+"/report", `{"reason":"fraud","note":"x"}`, 204, nil)
	var info map[string]any
	w.api(w.bo, "GET", "/api/plaza/mp/apps/"+a.AppID, "", 200, &info)
	if info["developer"] == "" || info["version"] != "1.0.0" || info["icon"] != miniprograms.IconURL(a.AppID) || info["live"] != true {
		t.Errorf("info: %v", info)
	}
}

// TestDirectoryOAMenuOpensApp: an Official Account's menu item of action
// miniprogram opens the app with scene menu, back to the account.
func TestDirectoryOAMenuOpensApp(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Shop", "shopping", "", true, nil)
	svc := testapp.Services(t, w.app).OA
	acct, err := svc.Apply(w.dev.Id, oa.ApplyInput{Handle: "shopnews", Name: "Shop News", Category: "community", Kind: oa.KindService})
	if err != nil {
		t.Fatal(err)
	}
	if err := oa.Review(w.app, acct.ID, oa.StatusApproved, "", false); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetMenu(w.dev.Id, acct.ID, oa.Menu{{Label: "Shop", Action: oa.ActionMiniProgram, Value: a.AppID}}); err != nil {
		t.Fatal(err)
	}
	body := w.page(w.bo, "/oa/shopnews", 200)
	href := "/mp/" + a.AppID + "?scene=menu&amp;back=%2Foa%2Fshopnews"
	if !strings.Contains(body, href) {
		t.Fatalf("the menu does not open the app: %.2000s", body)
	}
	launch := dirLaunch(t, w.page(w.bo, strings.ReplaceAll(href, "&amp;", "&"), 200))
	if launch.Get("scene") != "menu" {
		t.Errorf("scene: %q", launch.Get("scene"))
	}
}
