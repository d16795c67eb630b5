package demo

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/accounts"
	"plaza/hooks/channels"
	"plaza/hooks/problem"
)

// clipWebM is the demo's video: a 3-second WebM (VP8) recorded from a
// canvas in headless Chromium by TestMakeDemoClip (clip_test.go), never
// downloaded; ClipPoster draws its first frame.
//
//go:embed assets/clip.webm
var clipWebM []byte

// The demo clip's size and length (TestMakeDemoClip records it so).
const (
	ClipWidth  = 240
	ClipHeight = 320
	ClipMs     = 3000
)

// demoChannel is one demo channel: its owner (a demo member), its posts,
// and who follows it (spread over the last 30 days, for the stats page).
type demoChannel struct {
	owner, handle, name, bio string
	followers                []string
	posts                    []demoChannelPost
}

// demoChannelPost is one post: photos (drawScene kinds) or the clip;
// likes, views by members, views by visitors, comments (re: an earlier
// commenter on the post), and pin, the 1-based comment the creator pins.
type demoChannelPost struct {
	days     float64
	caption  string
	place    string
	scenes   []int
	video    bool
	likes    []string
	visitors int
	comments []demoComment
	pin      int
}

// DemoChannels are the demo's channels, by owner (README names them).
var DemoChannels = map[string]string{"zhao_qiang": "riverside_runners", "han_meimei": "hans_kitchen", "david_l": "old_town_photos"}

var demoChannels = []demoChannel{
	{owner: "zhao_qiang", handle: "riverside_runners", name: "Riverside Runners", bio: "Morning runs by the river in Qingdao · 每周六早上七点 #晨跑",
		followers: []string{"li_lei", "zhou_jie", "bob_chen", "alice_w", "emma_h", "henry_g", "han_meimei", "frank_x"},
		posts: []demoChannelPost{
			{days: 0.3, video: true, caption: "Saturday 7 am, twelve runners, one bridge 🏃 #晨跑 #running", place: "青岛 奥帆中心",
				likes: []string{"li_lei", "zhou_jie", "bob_chen", "alice_w", "frank_x"}, visitors: 14, pin: 2,
				comments: []demoComment{{"li_lei", "我下周也来！", ""}, {"zhao_qiang", "Route and time for next week: 7:00 at the pier, 10 km", ""},
					{"zhao_qiang", "欢迎！七点码头见", "li_lei"}, {"bob_chen", "Can I bring my bike? 😄", ""}, {"emma_h", "No bikes, Bob", "bob_chen"}}},
			{days: 2.2, scenes: []int{1, 0}, caption: "Sunrise 10K done. Who's in next week? #running #qingdao",
				likes: []string{"alice_w", "emma_h", "henry_g"}, visitors: 6, comments: []demoComment{{"henry_g", "The kids want to join the 2 km", ""}}},
			{days: 5.1, scenes: []int{5}, caption: "新跑鞋到了，周末试跑 #跑步装备", likes: []string{"li_lei", "zhou_jie"}, visitors: 4},
			{days: 9, scenes: []int{0, 1, 5}, caption: "半马训练第三周，配速 5:20 #晨跑 #半马", place: "青岛",
				likes: []string{"li_lei", "han_meimei"}, visitors: 5, comments: []demoComment{{"han_meimei", "加油！", ""}}},
			{days: 16, scenes: []int{1}, caption: "Rainy day, short run, hot tea after ☔", likes: []string{"frank_x"}, visitors: 3},
		}},
	{owner: "han_meimei", handle: "hans_kitchen", name: "Han's Kitchen", bio: "家常菜 · Home cooking from Hangzhou, one dish a week",
		followers: []string{"alice_w", "li_lei", "sun_li", "wu_min", "wang_fang", "carol_z", "zheng_hao", "chen_jing", "emma_h", "grace_y"},
		posts: []demoChannelPost{
			{days: 0.6, scenes: []int{4, 4, 4}, caption: "西湖醋鱼，第一次做成功 #美食 #杭帮菜", place: "杭州",
				likes: []string{"alice_w", "li_lei", "sun_li", "wu_min", "carol_z", "wang_fang"}, visitors: 18, pin: 1,
				comments: []demoComment{{"wu_min", "求菜谱！", ""}, {"han_meimei", "菜谱在下一条视频里", "wu_min"}, {"alice_w", "Looks amazing", ""},
					{"carol_z", "Not spicy enough 🌶️", ""}, {"wu_min", "同意", "carol_z"}}},
			{days: 1.5, video: true, caption: "How I fold dumplings, in three seconds (not really) #美食 #dumplings",
				likes: []string{"alice_w", "emma_h", "grace_y", "wang_fang"}, visitors: 12,
				comments: []demoComment{{"emma_h", "Slow motion version please", ""}, {"wang_fang", "包得真好", ""}}},
			{days: 4.3, scenes: []int{4}, caption: "Spicy noodles for wu_min 🌶️ #美食 #noodles", likes: []string{"wu_min", "zheng_hao"}, visitors: 5,
				comments: []demoComment{{"wu_min", "辣得刚好", ""}}},
			{days: 8, scenes: []int{4, 2}, caption: "龙井虾仁，春天的味道 #杭帮菜", likes: []string{"li_lei", "sun_li", "chen_jing"}, visitors: 6},
			{days: 13, scenes: []int{4}, caption: "周末早午餐 #brunch #美食", likes: []string{"alice_w"}, visitors: 3},
		}},
	{owner: "david_l", handle: "old_town_photos", name: "Old Town Photos", bio: "Streets, light and old walls. Wuhan, and wherever the train goes.",
		followers: []string{"bob_chen", "carol_z", "alice_w", "grace_y", "ivy_tang", "lin_tao", "zheng_hao"},
		posts: []demoChannelPost{
			{days: 0.9, scenes: []int{3, 3, 0}, caption: "Night market lights #oldtown #夜景", place: "武汉 户部巷",
				likes: []string{"bob_chen", "carol_z", "alice_w", "ivy_tang"}, visitors: 10, pin: 1,
				comments: []demoComment{{"carol_z", "The second one should be printed", ""}, {"bob_chen", "Which lens?", ""},
					{"david_l", "35mm, handheld", "bob_chen"}}},
			{days: 3, video: true, caption: "Morning at the river, three seconds of calm #oldtown", likes: []string{"grace_y", "lin_tao"}, visitors: 7,
				comments: []demoComment{{"lin_tao", "像桂林的早晨", ""}}},
			{days: 6.2, scenes: []int{0}, caption: "Sunset over the old walls #oldtown #sunset", likes: []string{"carol_z", "zheng_hao", "alice_w"}, visitors: 5},
			{days: 11, scenes: []int{3, 1, 0, 2}, caption: "Four corners of the old town #oldtown", likes: []string{"ivy_tang"}, visitors: 4},
			{days: 20, scenes: []int{1}, caption: "The ferry at dawn #渡轮", place: "武汉 中华路码头", likes: []string{"bob_chen"}, visitors: 2},
		}},
}

// seedChannels opens the demo channels with their followers, posts
// (photos drawn here, the embedded clip), likes, views, comments and pins,
// each at its moment in the past. A channel that exists is left alone, so
// a second run adds nothing.
func seedChannels(app core.App, svc *channels.Service) error {
	defer svc.SetClock(time.Now)
	ids := map[string]string{} // plaza id → member id
	for _, p := range People {
		r, err := accounts.FindByPlazaID(app, p.PlazaID)
		if err != nil {
			return err
		}
		ids[p.PlazaID] = r.Id
	}
	now := time.Now()
	for i, c := range demoChannels {
		_, err := svc.ChannelOf(ids[c.owner], ids[c.owner])
		if err == nil {
			continue
		}
		if p, ok := problem.As(err); !ok || p.Status != http.StatusNotFound {
			return err
		}
		if err := seedChannel(svc, ids, i, c, now); err != nil {
			return fmt.Errorf("channel %s: %w", c.handle, err)
		}
	}
	return nil
}

// seedChannel opens c 35 days ago, its followers come over the 30 days
// since, then its posts.
func seedChannel(svc *channels.Service, ids map[string]string, n int, c demoChannel, now time.Time) error {
	clock := now.AddDate(0, 0, -35)
	svc.SetClock(func() time.Time { return clock })
	avatar, err := Identicon("channel:" + c.handle)
	if err != nil {
		return err
	}
	f, err := filesystem.NewFileFromBytes(avatar, c.handle+".png")
	if err != nil {
		return err
	}
	if _, err := svc.Create(ids[c.owner], channels.ProfileInput{Handle: &c.handle, Name: &c.name, Bio: &c.bio, Avatar: f}); err != nil {
		return err
	}
	for k, who := range c.followers {
		clock = now.Add(-time.Duration(30-k*29/len(c.followers)) * 24 * time.Hour)
		if _, err := svc.Follow(ids[who], c.handle); err != nil {
			return fmt.Errorf("follow by %s: %w", who, err)
		}
	}
	for k, p := range c.posts {
		clock = now.Add(-time.Duration(p.days * float64(24*time.Hour)))
		if err := publishChannelPost(svc, ids, n*10+k, c.owner, p, &clock); err != nil {
			return fmt.Errorf("post %d: %w", k, err)
		}
	}
	return nil
}

// publishChannelPost posts p at *clock, then its likes, views and
// comments a few minutes apart.
func publishChannelPost(svc *channels.Service, ids map[string]string, n int, owner string, p demoChannelPost, clock *time.Time) error {
	in := channels.PostInput{Caption: p.caption, Location: p.place}
	for k, scene := range p.scenes {
		jpg, err := drawScene(scene, int64(500+n*10+k))
		if err != nil {
			return err
		}
		f, err := filesystem.NewFileFromBytes(jpg, fmt.Sprintf("channel-%d-%d.jpg", n, k))
		if err != nil {
			return err
		}
		in.Photos = append(in.Photos, f)
	}
	if p.video {
		video, err := filesystem.NewFileFromBytes(clipWebM, "clip.webm")
		if err != nil {
			return err
		}
		poster, err := ClipPoster()
		if err != nil {
			return err
		}
		if in.Poster, err = filesystem.NewFileFromBytes(poster, "poster.png"); err != nil {
			return err
		}
		in.Video, in.DurationMs = video, ClipMs
	}
	post, err := svc.Publish(ids[owner], in)
	if err != nil {
		return err
	}
	tick := func() { *clock = clock.Add(7 * time.Minute) }
	for _, who := range p.likes {
		tick()
		if _, err := svc.CountView(channels.Viewer{MemberID: ids[who]}, post.ID); err != nil {
			return err
		}
		if _, err := svc.Like(ids[who], post.ID); err != nil {
			return fmt.Errorf("like by %s: %w", who, err)
		}
	}
	for v := range p.visitors {
		tick()
		if _, err := svc.CountView(channels.Viewer{Addr: fmt.Sprintf("192.0.2.%d", v)}, post.ID); err != nil {
			return err
		}
	}
	commentOf := map[string]string{} // plaza id → their latest comment here
	for k, c := range p.comments {
		tick()
		cm, err := svc.AddComment(ids[c.who], post.ID, channels.CommentInput{Text: c.text, ReplyTo: commentOf[c.re]})
		if err != nil {
			return fmt.Errorf("comment by %s: %w", c.who, err)
		}
		commentOf[c.who] = cm.ID
		if k+1 == p.pin {
			if err := svc.PinComment(ids[owner], cm.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// ClipPoster draws the demo clip's first frame as a PNG (TestMakeDemoClip
// draws the same picture on its canvas at time 0): a morning sky and sun,
// the river, the bridge and three runners at its start.
func ClipPoster() ([]byte, error) {
	const w, h = ClipWidth, ClipHeight
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	top, bottom := color.RGBA{0xf6, 0xb2, 0x6b, 0xff}, color.RGBA{0xff, 0xe6, 0xb3, 0xff}
	horizon := h * 6 / 10
	for y := range horizon {
		t := float64(y) / float64(horizon)
		fill(0, y, w, y+1, color.RGBA{mix(top.R, bottom.R, t), mix(top.G, bottom.G, t), mix(top.B, bottom.B, t), 0xff})
	}
	disc(img, w*7/10, h*45/100, 26, color.RGBA{0xff, 0xd9, 0x66, 0xff})
	fill(0, horizon, w, h, color.RGBA{0x3d, 0x85, 0xc6, 0xff})
	for y := float64(h) * 0.64; y < h; y += 22 {
		x := int(y*7)%(w+60) - 60
		fill(x, int(y), x+60, int(y)+3, color.RGBA{0x9f, 0xc5, 0xe8, 0xff})
	}
	bridge := h * 55 / 100
	fill(0, bridge, w, bridge+10, color.RGBA{0x5b, 0x3a, 0x29, 0xff})
	for i, c := range []color.RGBA{{0xcc, 0, 0, 0xff}, {0x07, 0xc1, 0x60, 0xff}, {0x57, 0x6b, 0x95, 0xff}} {
		x, y := int(float64(i)*0.3*w)-20, bridge-18
		fill(x, y, x+10, y+18, c)
		disc(img, x+5, y-6, 5, c)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode poster: %w", err)
	}
	return buf.Bytes(), nil
}
