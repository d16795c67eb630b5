package demo

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/accounts"
	"plaza/hooks/demo/mpdemo"
	"plaza/hooks/miniprograms"
)

// demoMiniProgram is one demo mini program: its developer (a demo member
// in developer mode), its listing, and its bundle and server in
// hooks/demo/mpdemo.
type demoMiniProgram struct {
	name      string // mpdemo's name of it: its bundle and its server
	developer string
	input     miniprograms.AppInput
}

// DemoMiniPrograms are the demo mini programs' names in their listing
// (README names them).
var DemoMiniPrograms = []string{"Corner Café", "Community Poll"}

var demoMiniPrograms = []demoMiniProgram{
	{name: mpdemo.Coffee, developer: "alice_w", input: miniprograms.AppInput{Name: "Corner Café", Category: "food",
		Description: "Order your coffee ahead and pay in Plaza. 街角咖啡馆：在线点单，到店即取。",
		ServerURL:   "/mp-demo/coffee/", WebhookURL: "/mp-demo/coffee/api/webhook", DailyCap: 20000, Local: true}},
	{name: mpdemo.Poll, developer: "jack_m", input: miniprograms.AppInput{Name: "Community Poll", Category: "social",
		Description: "One question for the neighbourhood, one vote each. 社区投票，每人一票。",
		ServerURL:   "/mp-demo/poll/", Local: true}},
}

// SeedMiniPrograms registers the demo mini programs through the service
// as their developers (alice_w and jack_m, who must exist) would (developer mode, register, upload the
// bundle), approves each version as a superuser would in /_/, and
// releases it; the AppSecret goes to the demo server's own table. A step
// done before is not done again, so a second run adds nothing and an
// interrupted one finishes.
func SeedMiniPrograms(app core.App, svc *miniprograms.Service) error {
	for _, d := range demoMiniPrograms {
		if err := seedMiniProgram(app, svc, d); err != nil {
			return fmt.Errorf("mini program %s: %w", d.input.Name, err)
		}
	}
	return nil
}

func seedMiniProgram(app core.App, svc *miniprograms.Service, d demoMiniProgram) error {
	dev, err := accounts.FindByPlazaID(app, d.developer)
	if err != nil {
		return err
	}
	if err := svc.SetDeveloper(dev.Id, true); err != nil {
		return err
	}
	appid, err := demoAppID(app, svc, dev.Id, d)
	if err != nil {
		return err
	}
	a, err := svc.Own(dev.Id, appid)
	if err != nil {
		return err
	}
	if a.Live() {
		return nil
	}
	versions, err := svc.Versions(dev.Id, appid)
	if err != nil {
		return err
	}
	var v miniprograms.Version
	for _, have := range versions {
		if have.Status == miniprograms.StatusApproved || have.Status == miniprograms.StatusReview {
			v = have
			break
		}
	}
	if v.ID == "" {
		bundle, err := mpdemo.Bundle(d.name)
		if err != nil {
			return err
		}
		if v, err = svc.UploadVersion(dev.Id, appid, bundle, "First release."); err != nil {
			return err
		}
	}
	if v.Status != miniprograms.StatusApproved {
		if err := miniprograms.Review(app, v.ID, true, ""); err != nil { // a superuser's approval in /_/
			return err
		}
	}
	return svc.Release(dev.Id, appid, v.ID)
}

// demoAppID is the demo app's AppID: the one its server keeps, if its
// developer still has that app, else a newly registered app's (its
// AppSecret stored for the server at once).
func demoAppID(app core.App, svc *miniprograms.Service, developer string, d demoMiniProgram) (string, error) {
	appid, _, err := mpdemo.AppOf(app, d.name)
	if err != nil && !errors.Is(err, mpdemo.ErrNotSeeded) {
		return "", err
	}
	if err == nil {
		if _, err := svc.Own(developer, appid); err == nil {
			return appid, nil
		} else if !miniprograms.IsNotFound(err) {
			return "", err
		}
	}
	icon, err := Identicon("mp:" + d.name)
	if err != nil {
		return "", err
	}
	in := d.input
	if in.Icon, err = filesystem.NewFileFromBytes(icon, d.name+".png"); err != nil {
		return "", err
	}
	a, secret, err := svc.CreateApp(developer, in)
	if err != nil {
		return "", err
	}
	if err := mpdemo.SaveApp(app, d.name, a.AppID, secret); err != nil {
		return "", err
	}
	return a.AppID, nil
}
