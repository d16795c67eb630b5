package momentsweb

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"plaza/hooks/moments"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	"plaza/views/shell"
)

// The Discover dot: when friends posted since the member last opened the
// feed, Moments' Discover entry shows the latest poster's avatar. The
// shell asks for it only when it draws the Discover list.

func (h handlers) dotMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "momentsDiscoverDot",
		Func: func(e *core.RequestEvent) error {
			shellweb.SetDot(e, moments.DiscoverID, h.dot)
			return e.Next()
		},
	}
}

func (h handlers) dot(e *core.RequestEvent) (*shell.Dot, error) {
	if web.Member(e) == nil {
		return nil, nil
	}
	author, err := h.m.NewPosts(e.Auth.Id)
	if err != nil || author == "" {
		return nil, err
	}
	pp, err := peopleFor(e.App, e.Auth.Id, []string{author})
	if err != nil {
		return nil, err
	}
	p := pp.of(author)
	return &shell.Dot{Avatar: p.Avatar, Initial: initialOf(p.Name), Label: web.T(e, "moments.new_posts_by", map[string]any{"name": p.Name})}, nil
}
