package oaweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// The custom menu's editor: a form of fixed slots, oa.MenuButtonsMax
// buttons of oa.MenuItemsMax items, read back into an oa.Menu (empty
// slots dropped) that the domain checks.

// menuPage is GET /oa/{handle}/console/menu and its POST
// (menu.<b>.label|action|value, menu.<b>.<i>.label|action|value).
func (h handlers) menuPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	m := a.Menu
	status := http.StatusOK
	v := views.MenuEditor{Nav: nav(a, "menu"), Flash: pageFlash(e, "menu_saved")}
	if e.Request.Method == http.MethodPost {
		m = menuFromForm(e)
		err = h.oa.SetMenu(e.Auth.Id, a.ID, m)
		refused := pageRefusal(err)
		if err != nil && refused == nil {
			return err
		}
		if refused == nil {
			return web.Redirect(e, consoleBase(a.Handle)+"/menu?done=menu_saved")
		}
		status, v.Flash = refused.Status, refusalFlash(e, refused)
		v.Errors = menuErrors(e, refused)
	}
	v.Buttons = menuSlots(m)
	return memberScreen(e, status, web.T(e, "oa.console_menu"), consoleBase(a.Handle), views.MenuView(v))
}

// menuErrors are a refused menu's messages, each naming its entry.
func menuErrors(e *core.RequestEvent, p *problem.Problem) []string {
	var out []string
	for _, fe := range web.FieldErrors(e, p) {
		out = append(out, menuPlace(e, fe.Field)+": "+fe.Message)
	}
	return out
}

// menuPlace names a menu entry ("menu.1.items.2") as "Button 2, item 3".
func menuPlace(e *core.RequestEvent, field string) string {
	parts := strings.Split(field, ".")
	if len(parts) < 2 {
		return web.T(e, "oa.menu")
	}
	place := web.T(e, "oa.menu_button", map[string]any{"n": atoiPlus(parts[1])})
	if len(parts) == 4 {
		place += ", " + web.T(e, "oa.menu_item", map[string]any{"n": atoiPlus(parts[3])})
	}
	return place
}

// atoiPlus is a zero-based index as a one-based number.
func atoiPlus(s string) int {
	n, _ := strconv.Atoi(s)
	return n + 1
}

// menuFromForm reads the slots into a menu: a button with a label is kept
// with its own action, or (action "") with its items that have a label.
func menuFromForm(e *core.RequestEvent) oa.Menu {
	f := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	var m oa.Menu
	for b := range oa.MenuButtonsMax {
		btn := oa.Button{Label: f(slotName(b, -1, "label")), Action: f(slotName(b, -1, "action")), Value: f(slotName(b, -1, "value"))}
		var items []oa.Item
		for i := range oa.MenuItemsMax {
			it := oa.Item{Label: f(slotName(b, i, "label")), Action: f(slotName(b, i, "action")), Value: f(slotName(b, i, "value"))}
			if it.Label != "" || it.Value != "" {
				items = append(items, it)
			}
		}
		if btn.Label == "" && btn.Value == "" && len(items) == 0 {
			continue
		}
		if btn.Action == "" {
			btn.Value, btn.Items = "", items
		}
		m = append(m, btn)
	}
	return m
}

// slotName is a slot's field name (item -1: the button's own).
func slotName(b, i int, field string) string {
	if i < 0 {
		return "menu." + itoa(b) + "." + field
	}
	return "menu." + itoa(b) + "." + itoa(i) + "." + field
}

func itoa(n int) string { return strconv.Itoa(n) }

// menuSlots lays a menu out in the editor's slots.
func menuSlots(m oa.Menu) []views.MenuSlot {
	out := make([]views.MenuSlot, oa.MenuButtonsMax)
	for b := range out {
		out[b].Items = make([]views.MenuSlotItem, oa.MenuItemsMax)
		if b >= len(m) {
			continue
		}
		out[b].Label, out[b].Action, out[b].Value = m[b].Label, m[b].Action, m[b].Value
		for i, it := range m[b].Items {
			if i < oa.MenuItemsMax {
				out[b].Items[i] = views.MenuSlotItem{Label: it.Label, Action: it.Action, Value: it.Value}
			}
		}
	}
	return out
}
