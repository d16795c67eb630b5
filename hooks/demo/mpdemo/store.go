package mpdemo

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// ErrNotSeeded is AppOf's answer before `plaza demo` registered the app.
var ErrNotSeeded = errors.New("mpdemo: demo app not registered yet")

// AppOf is the AppID and AppSecret `plaza demo` stored for the named demo
// app (ErrNotSeeded if none).
func AppOf(app core.App, name string) (appid, secret string, err error) {
	r, err := app.FindFirstRecordByData("mpdemo_apps", "name", name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrNotSeeded
	}
	if err != nil {
		return "", "", fmt.Errorf("read demo app %s: %w", name, err)
	}
	return r.GetString("appid"), r.GetString("secret"), nil
}

// SaveApp stores the named demo app's AppID and AppSecret, as its
// developer would put them in the server's configuration; a second call
// replaces them (a rotated secret).
func SaveApp(app core.App, name, appid, secret string) error {
	r, err := app.FindFirstRecordByData("mpdemo_apps", "name", name)
	if errors.Is(err, sql.ErrNoRows) {
		col, cerr := app.FindCachedCollectionByNameOrId("mpdemo_apps")
		if cerr != nil {
			return fmt.Errorf("save demo app %s: %w", name, cerr)
		}
		r, err = core.NewRecord(col), nil
		r.Set("name", name)
	}
	if err != nil {
		return fmt.Errorf("save demo app %s: %w", name, err)
	}
	r.Set("appid", appid)
	r.Set("secret", secret)
	if err := app.Save(r); err != nil {
		return fmt.Errorf("save demo app %s: %w", name, err)
	}
	return nil
}
