package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// EvalInFrame evaluates the JavaScript expression in the document that the
// <iframe> of sel shows, awaiting it when it is a promise, and decodes its
// JSON value into out (as Eval; out may be nil).
//
// It runs in an isolated world of that frame: the same DOM, none of the
// page's script globals. So it works whatever the frame's origin (a
// sandboxed frame's opaque one, another site), and a script of the frame
// cannot change what the test reads except through the DOM. It does not
// wait for the frame to load: poll for a marker the frame writes.
func (p *Page) EvalInFrame(sel, js string, out any) {
	p.t.Helper()
	action := fmt.Sprintf("EvalInFrame(%q)", sel)
	raw, err := runCtx(p, evalInFrame(sel, js))
	if err != nil {
		p.fail(action, err)
	}
	if out == nil {
		return
	}
	if len(raw) == 0 {
		p.fail(action, fmt.Errorf("expression %q evaluated to undefined", js))
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.fail(action, fmt.Errorf("decoding the result of %q into %T: %w", js, out, err))
	}
}

// evalInFrame finds the frame of the <iframe> of sel, makes an isolated
// world in it and evaluates js there.
func evalInFrame(sel, js string) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		el, err := chromedp.Evaluate[*runtime.RemoteObject](jsCall(`(sel) => document.querySelector(sel)`, sel))(ctx, t)
		if err != nil {
			return nil, err
		}
		if el.ObjectID == "" {
			return nil, fmt.Errorf("no element matches %q", sel)
		}
		desc, err := cdp.Call(ctx, t, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: el.ObjectID})
		_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: el.ObjectID})
		if err != nil {
			return nil, err
		}
		if desc.Node == nil || desc.Node.FrameID == "" {
			return nil, fmt.Errorf("%q is not a frame with a document", sel)
		}
		world, err := cdp.Call(ctx, t, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: desc.Node.FrameID, WorldName: "e2e"})
		if err != nil {
			return nil, err
		}
		yes := true
		res, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: js, ContextID: world.ExecutionContextID,
			ReturnByValue: &yes, AwaitPromise: &yes})
		if err != nil {
			return nil, err
		}
		if res.ExceptionDetails != nil {
			return nil, &chromedp.ExceptionError{ExceptionDetails: res.ExceptionDetails}
		}
		if res.Result == nil {
			return nil, errors.New("no result")
		}
		return res.Result.Value, nil
	}
}
