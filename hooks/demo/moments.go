package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/moments"
)

// MutualFriendsPost is the demo post (alice_w's, at the Bund) where the
// mutual-friends rule shows: bob_chen and han_meimei, both alice_w's
// friends but not each other's, each commented; signed in as one of them
// you see your own comment and not the other's (li_lei, a friend of both,
// sees both).
const MutualFriendsPost = "Sunset walk along the Bund 🌇"

// The members to sign in as to see it (README's demo section names them).
const (
	MutualViewerA = "bob_chen"
	MutualViewerB = "han_meimei"
)

// demoComment is one comment on a demo post; re names an earlier
// commenter on the same post it replies to.
type demoComment struct{ who, text, re string }

// demoPost is one demo Moments post. scenes are the photos to draw (scene
// kinds, see drawScene); vis with tags (alice_w's tag names) or members
// limits who sees it.
type demoPost struct {
	author   string
	days     float64 // how long ago it was posted
	text     string
	place    string
	scenes   []int
	vis      string
	tags     []string
	members  []string
	likes    []string
	comments []demoComment
}

// demoPosts are the demo's Moments, about 45 posts over the last seven
// weeks. Every like and comment is by someone who may see the post.
var demoPosts = []demoPost{
	{author: "alice_w", days: 0.2, text: MutualFriendsPost, place: "The Bund, Shanghai", scenes: []int{0, 3, 1},
		likes: []string{"li_lei", "bob_chen", "han_meimei", "carol_z"},
		comments: []demoComment{{"bob_chen", "Gorgeous! Was the ride there OK?", ""}, {"han_meimei", "好美！下次带上我", ""},
			{"li_lei", "外滩的晚霞永远看不腻", ""}, {"alice_w", "Next time together!", "bob_chen"}, {"alice_w", "一定！", "han_meimei"}}},
	{author: "bob_chen", days: 0.5, text: "80 km this morning. Legs: gone.", scenes: []int{5}, place: "Miyun Reservoir",
		likes:    []string{"alice_w", "david_l", "frank_x", "henry_g"},
		comments: []demoComment{{"alice_w", "Respect 🚴", ""}, {"david_l", "Got some great shots of you on the climb", ""}, {"bob_chen", "Send them!", "david_l"}}},
	{author: "li_lei", days: 0.8, text: "周末读书会，《平凡的世界》第二部讨论完了", scenes: []int{4, 2},
		likes:    []string{"alice_w", "han_meimei", "wang_fang"},
		comments: []demoComment{{"han_meimei", "下次我带茶", ""}, {"zhao_qiang", "我也想参加！", ""}, {"li_lei", "欢迎欢迎", "zhao_qiang"}}},
	{author: "han_meimei", days: 1.1, text: "爬山看日出，值了", place: "杭州 北高峰", scenes: []int{0, 0, 2, 1},
		likes:    []string{"li_lei", "sun_li", "wu_min", "alice_w"},
		comments: []demoComment{{"sun_li", "几点出发的？", ""}, {"han_meimei", "四点半😴", "sun_li"}, {"wu_min", "太拼了", ""}}},
	{author: "carol_z", days: 1.4, text: "Friday hotpot, the spicy one, as promised 🌶️", place: "Chengdu", scenes: []int{4, 4},
		likes:    []string{"grace_y", "david_l", "alice_w"},
		comments: []demoComment{{"grace_y", "Still recovering.", ""}, {"david_l", "Why wasn't I invited", ""}, {"carol_z", "Next week!", "david_l"}}},
	{author: "alice_w", days: 1.9, text: "Quarterly planning done. Thanks team!", scenes: []int{3},
		vis: moments.VisibleInclude, tags: []string{"Colleagues"},
		likes: []string{"bob_chen", "carol_z", "emma_h"}, comments: []demoComment{{"emma_h", "Drinks on Friday?", ""}, {"carol_z", "+1", ""}}},
	{author: "david_l", days: 2.3, text: "Light and shadow.", scenes: []int{5, 3, 0, 1, 2, 4, 5, 3, 0},
		likes: []string{"bob_chen", "carol_z"}, comments: []demoComment{{"carol_z", "The third one 😍", ""}}},
	{author: "wang_fang", days: 2.6, text: "今天包了饺子，孩子们都回来了", scenes: []int{4},
		likes: []string{"alice_w", "li_lei"}, comments: []demoComment{{"alice_w", "妈妈包的最好吃", ""}, {"li_lei", "阿姨好！", ""}}},
	{author: "emma_h", days: 3.0, text: "Day 100 of learning Mandarin: I ordered dinner without pointing at the menu.",
		likes:    []string{"alice_w", "frank_x", "grace_y"},
		comments: []demoComment{{"alice_w", "太棒了！", ""}, {"frank_x", "Legend", ""}, {"grace_y", "加油！", ""}}},
	{author: "zhou_jie", days: 3.3, text: "新写的歌，录了个小样", scenes: []int{3}, likes: []string{"alice_w", "zhao_qiang"},
		comments: []demoComment{{"zhao_qiang", "求发！", ""}, {"alice_w", "Can't wait to hear it", ""}}},
	{author: "alice_w", days: 3.8, text: "Surprise party planning for Mum — shh 🤫", vis: moments.VisibleExclude, tags: []string{"Family"},
		likes: []string{"li_lei", "han_meimei"}, comments: []demoComment{{"han_meimei", "我来订蛋糕", ""}, {"li_lei", "我负责气球", ""}}},
	{author: "frank_x", days: 4.2, text: "Board game night: 6 players, 4 hours, 1 very sore loser.", scenes: []int{5, 2},
		likes: []string{"bob_chen", "emma_h"}, comments: []demoComment{{"emma_h", "I was not a sore loser.", ""}, {"bob_chen", "You were 😂", ""}}},
	{author: "sun_li", days: 4.5, text: "阳台的月季开了", place: "苏州", scenes: []int{2, 2}, likes: []string{"han_meimei", "li_lei"},
		comments: []demoComment{{"han_meimei", "好漂亮，求种植秘诀", ""}, {"sun_li", "多晒太阳少浇水", "han_meimei"}}},
	{author: "grace_y", days: 5.0, text: "The Terracotta Army never gets old.", place: "Xi'an", scenes: []int{4, 5},
		likes: []string{"carol_z", "emma_h", "ivy_tang"}, comments: []demoComment{{"ivy_tang", "On my list!", ""}, {"carol_z", "Take me next time", ""}}},
	{author: "zhao_qiang", days: 5.6, text: "半马完赛 1:52，个人最好成绩", place: "青岛 奥帆中心", scenes: []int{1},
		likes: []string{"li_lei", "zhou_jie"}, comments: []demoComment{{"li_lei", "厉害！", ""}, {"zhou_jie", "下次一起跑", ""}}},
	{author: "henry_g", days: 6.1, text: "Kids built a fort. I am now living in the fort.", scenes: []int{5},
		likes: []string{"bob_chen", "jack_m"}, comments: []demoComment{{"jack_m", "Best fort in Tianjin", ""}}},
	{author: "li_lei", days: 6.8, text: "同学聚会，十年了", scenes: []int{4, 3, 0}, vis: moments.VisibleInclude, members: []string{"alice_w", "han_meimei"},
		likes: []string{"alice_w", "han_meimei"}, comments: []demoComment{{"alice_w", "大家都没变", ""}, {"han_meimei", "李雷变帅了", ""}}},
	{author: "bob_chen", days: 7.5, text: "New bike day! 🚲", scenes: []int{5, 1}, likes: []string{"alice_w", "frank_x", "li_lei", "david_l"},
		comments: []demoComment{{"li_lei", "多少钱？", ""}, {"frank_x", "Don't tell your wife", ""}, {"alice_w", "So shiny", ""}}},
	{author: "wu_min", days: 8.0, text: "长沙的臭豆腐，闻着臭吃着香", place: "长沙 坡子街", scenes: []int{4},
		likes: []string{"han_meimei", "zheng_hao"}, comments: []demoComment{{"zheng_hao", "馋了", ""}, {"han_meimei", "下次去找你", ""}}},
	{author: "chen_jing", days: 8.7, text: "雨天，一杯茶，一本书", scenes: []int{2}, likes: []string{"alice_w", "lin_tao"},
		comments: []demoComment{{"lin_tao", "岁月静好", ""}}},
	{author: "lin_tao", days: 9.2, text: "漓江边上，山水甲天下", place: "桂林 阳朔", scenes: []int{1, 0, 2},
		likes: []string{"chen_jing", "zheng_hao"}, comments: []demoComment{{"chen_jing", "太美了", ""}, {"zheng_hao", "羡慕", ""}}},
	{author: "alice_w", days: 10, text: "First snow of the year ❄️", scenes: []int{1, 5}, likes: []string{"emma_h", "zhou_jie", "chen_jing", "wang_fang"},
		comments: []demoComment{{"wang_fang", "多穿点衣服", ""}, {"alice_w", "知道啦妈", "wang_fang"}, {"emma_h", "Hong Kong never gets snow 😢", ""}}},
	{author: "zheng_hao", days: 11, text: "鼓浪屿的清晨，没什么人", place: "厦门 鼓浪屿", scenes: []int{1, 3},
		likes: []string{"lin_tao", "wu_min"}, comments: []demoComment{{"wu_min", "好安静", ""}}},
	{author: "ivy_tang", days: 12, text: "Flower market haul 💐", place: "Kunming Dounan Flower Market", scenes: []int{2, 2, 2, 2},
		likes: []string{"grace_y"}, comments: []demoComment{{"grace_y", "Your flat must smell amazing", ""}}},
	{author: "jack_m", days: 13, text: "Community garden cleanup: 20 volunteers, 40 bags. Thank you all!", scenes: []int{2, 5},
		likes: []string{"henry_g"}, comments: []demoComment{{"henry_g", "The kids loved it", ""}}},
	{author: "han_meimei", days: 14, text: "今天读完了《活着》，心情很复杂", likes: []string{"li_lei", "sun_li", "alice_w"},
		comments: []demoComment{{"alice_w", "That book stays with you.", ""}, {"li_lei", "余华的书都这样", ""}, {"sun_li", "抱抱", ""}}},
	{author: "carol_z", days: 15, text: "Panda base at 7 am. Worth it.", place: "Chengdu Research Base of Giant Panda Breeding", scenes: []int{2, 5, 2},
		likes: []string{"alice_w", "grace_y", "david_l"}, comments: []demoComment{{"alice_w", "🐼🐼🐼", ""}, {"david_l", "Which lens?", ""}}},
	{author: "david_l", days: 16, text: "Wuhan at night from the Yangtze bridge.", place: "Wuhan Yangtze River Bridge", scenes: []int{3, 3},
		likes: []string{"carol_z", "bob_chen"}, comments: []demoComment{{"bob_chen", "Print this one", ""}}},
	{author: "alice_w", days: 17, text: "Weekend at home, nothing planned. Perfect.", vis: moments.VisiblePrivate},
	{author: "li_lei", days: 18, text: "深圳湾跑步，风很大", place: "深圳湾公园", scenes: []int{1, 0},
		likes: []string{"bob_chen", "zhao_qiang", "sun_li"}, comments: []demoComment{{"zhao_qiang", "配速多少？", ""}, {"li_lei", "5分半", "zhao_qiang"}}},
	{author: "emma_h", days: 20, text: "Dim sum Sunday with the Mandarin class.", scenes: []int{4, 4, 4}, likes: []string{"frank_x", "grace_y", "alice_w"},
		comments: []demoComment{{"grace_y", "Har gow for me please", ""}}},
	{author: "wang_fang", days: 22, text: "公园里的银杏黄了", place: "北京 地坛公园", scenes: []int{2, 0},
		likes: []string{"alice_w", "li_lei"}, comments: []demoComment{{"alice_w", "好美，周末去看", ""}}},
	{author: "bob_chen", days: 24, text: "Team offsite. Kayaking went… interesting.", scenes: []int{1},
		vis: moments.VisibleExclude, members: []string{"henry_g"}, likes: []string{"alice_w", "frank_x"},
		comments: []demoComment{{"frank_x", "Who fell in?", ""}, {"bob_chen", "No comment.", "frank_x"}}},
	{author: "zhou_jie", days: 26, text: "台北的小巷子", place: "台北 大稻埕", scenes: []int{3, 5}, likes: []string{"alice_w"},
		comments: []demoComment{{"alice_w", "Love the colours", ""}}},
	{author: "sun_li", days: 28, text: "拙政园秋色", place: "苏州 拙政园", scenes: []int{2, 1, 0}, likes: []string{"han_meimei"},
		comments: []demoComment{{"han_meimei", "人多吗？", ""}}},
	{author: "grace_y", days: 30, text: "Finished a 1,000-piece puzzle of the city wall.", scenes: []int{5},
		likes: []string{"emma_h", "carol_z"}, comments: []demoComment{{"emma_h", "Patience of a saint", ""}}},
	{author: "alice_w", days: 32, text: "Latte art attempt #12. Getting there ☕", scenes: []int{4}, likes: []string{"bob_chen", "carol_z", "li_lei", "emma_h"},
		comments: []demoComment{{"carol_z", "Is that a swan or a duck?", ""}, {"bob_chen", "It's a heart, obviously", ""},
			{"li_lei", "明显是天鹅", ""}, {"alice_w", "It's a leaf 😭", ""}}},
	{author: "henry_g", days: 34, text: "Family trip to the seaside. Sand everywhere.", place: "Beidaihe", scenes: []int{1, 1},
		likes: []string{"bob_chen", "jack_m"}, comments: []demoComment{{"bob_chen", "Looks great!", ""}}},
	{author: "lin_tao", days: 36, text: "周末爬山，谁一起？", likes: []string{"zheng_hao"},
		comments: []demoComment{{"zheng_hao", "我！", ""}, {"chen_jing", "算我一个", ""}}},
	{author: "chen_jing", days: 38, text: "重庆的夜景，像在画里", place: "重庆 洪崖洞", scenes: []int{3, 0}, likes: []string{"alice_w", "lin_tao"},
		comments: []demoComment{{"alice_w", "Still on my list!", ""}}},
	{author: "frank_x", days: 40, text: "Painted my first miniature.", scenes: []int{5}, likes: []string{"emma_h"}},
	{author: "zhao_qiang", days: 42, text: "海边日落", place: "青岛 栈桥", scenes: []int{0, 1}, likes: []string{"li_lei"}},
	{author: "wu_min", days: 44, text: "自己做的剁椒鱼头，辣哭了", scenes: []int{4}, likes: []string{"han_meimei", "zheng_hao"},
		comments: []demoComment{{"han_meimei", "看着就辣", ""}}},
	{author: "alice_w", days: 46, text: "Six years in Shanghai today. Grateful for all of you.", scenes: []int{3, 0, 1, 2},
		likes:    []string{"bob_chen", "li_lei", "han_meimei", "carol_z", "wang_fang", "emma_h", "zhou_jie", "chen_jing"},
		comments: []demoComment{{"wang_fang", "为你骄傲", ""}, {"emma_h", "Happy anniversary!", ""}, {"zhou_jie", "🎉", ""}, {"chen_jing", "六周年快乐", ""}}},
	{author: "han_meimei", days: 48, text: "西湖边散步", place: "杭州 西湖", scenes: []int{1, 2}, likes: []string{"li_lei", "wu_min"}},
}

// seedMoments publishes the demo posts with their likes and comments,
// each at its moment in the past. An author who has posts already is left
// alone, so a second run adds nothing.
func seedMoments(app core.App, svc *moments.Service) error {
	defer svc.SetClock(time.Now)
	ids := map[string]string{} // plaza id → member id
	for _, p := range People {
		r, err := accounts.FindByPlazaID(app, p.PlazaID)
		if err != nil {
			return err
		}
		ids[p.PlazaID] = r.Id
	}
	done := map[string]bool{} // authors posting now: not those who had posts
	now := time.Now()
	for i, p := range demoPosts {
		if _, ok := done[p.author]; !ok {
			album, err := svc.AlbumOf(ids[p.author], ids[p.author], "", 1)
			if err != nil {
				return err
			}
			done[p.author] = len(album.Posts) == 0
		}
		if !done[p.author] {
			continue
		}
		at := now.Add(-time.Duration(p.days * float64(24*time.Hour)))
		if err := publishDemoPost(app, svc, ids, i, p, at); err != nil {
			return fmt.Errorf("post %d of %s: %w", i, p.author, err)
		}
	}
	return nil
}

// publishDemoPost posts p at at, then its likes and comments a few minutes
// apart after it.
func publishDemoPost(app core.App, svc *moments.Service, ids map[string]string, n int, p demoPost, at time.Time) error {
	in := moments.PostInput{Text: p.text, Location: p.place, Visibility: p.vis}
	for k, scene := range p.scenes {
		jpg, err := drawScene(scene, int64(n*10+k))
		if err != nil {
			return err
		}
		f, err := filesystem.NewFileFromBytes(jpg, fmt.Sprintf("demo-%d-%d.jpg", n, k))
		if err != nil {
			return err
		}
		in.Photos = append(in.Photos, f)
	}
	for _, m := range p.members {
		in.Members = append(in.Members, ids[m])
	}
	if len(p.tags) > 0 {
		tagIDs, err := tagIDsOf(app, p.author, p.tags)
		if err != nil {
			return err
		}
		in.Tags = tagIDs
	}
	clock := at
	tick := func() time.Time { clock = clock.Add(7 * time.Minute); return clock }
	svc.SetClock(func() time.Time { return clock })
	post, err := svc.Publish(ids[p.author], in)
	if err != nil {
		return err
	}
	for _, who := range p.likes {
		tick()
		if err := svc.Like(ids[who], post.ID); err != nil {
			return fmt.Errorf("like by %s: %w", who, err)
		}
	}
	commentOf := map[string]string{} // plaza id → their latest comment here
	for _, c := range p.comments {
		tick()
		c2, err := svc.AddComment(ids[c.who], post.ID, moments.CommentInput{Text: c.text, ReplyTo: commentOf[c.re]})
		if err != nil {
			return fmt.Errorf("comment by %s: %w", c.who, err)
		}
		commentOf[c.who] = c2.ID
	}
	return nil
}

// tagIDsOf are the ids of an author's tags by name.
func tagIDsOf(app core.App, author string, names []string) ([]string, error) {
	owner, err := accounts.FindByPlazaID(app, author)
	if err != nil {
		return nil, err
	}
	tags, err := contacts.Tags(app, owner)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range names {
		for _, t := range tags {
			if t.Name == name {
				out = append(out, t.ID)
			}
		}
	}
	if len(out) != len(names) {
		return nil, fmt.Errorf("%s's tags %v: found %d", author, names, len(out))
	}
	return out, nil
}

// drawScene draws one demo photo, 640×480, as a JPEG: 0 a sunset over
// mountains, 1 the sea, 2 a flower meadow, 3 a city at night, 4 a bowl on a
// table, 5 bright stripes; seed varies its colours and shapes. Drawn here,
// never downloaded.
func drawScene(kind int, seed int64) ([]byte, error) {
	const w, h = 640, 480
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(kind)))
	hue := rng.Float64() * 40
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	gradient := func(top, bottom color.RGBA, y0, y1 int) {
		for y := y0; y < y1; y++ {
			t := float64(y-y0) / float64(max(1, y1-y0))
			c := color.RGBA{mix(top.R, bottom.R, t), mix(top.G, bottom.G, t), mix(top.B, bottom.B, t), 0xff}
			draw.Draw(img, image.Rect(0, y, w, y+1), image.NewUniform(c), image.Point{}, draw.Src)
		}
	}
	switch kind {
	case 0: // sunset
		gradient(hsl(20+hue, 0.9, 0.6), hsl(280+hue, 0.5, 0.35), 0, h)
		disc(img, w/2+rng.IntN(200)-100, h/2, 60, hsl(45, 1, 0.7))
		ridge(img, rng, h*2/3, 60, hsl(260, 0.3, 0.15))
	case 1: // sea
		gradient(hsl(200, 0.7, 0.85), hsl(200, 0.6, 0.6), 0, h/2)
		gradient(hsl(205+hue/4, 0.7, 0.45), hsl(215, 0.8, 0.25), h/2, h*5/6)
		gradient(hsl(40, 0.6, 0.75), hsl(35, 0.5, 0.6), h*5/6, h)
		for y := h/2 + 12; y < h*5/6; y += 18 {
			for x := 0; x < w; x++ {
				img.Set(x, y+int(4*math.Sin(float64(x)/20+float64(y))), hsl(200, 0.5, 0.75))
			}
		}
	case 2: // flowers
		gradient(hsl(190, 0.6, 0.8), hsl(100+hue, 0.5, 0.45), 0, h)
		for range 60 {
			x, y := rng.IntN(w), h/3+rng.IntN(h*2/3)
			disc(img, x, y, 6+rng.IntN(10), hsl(rng.Float64()*360, 0.8, 0.6))
			disc(img, x, y, 3, hsl(50, 1, 0.55))
		}
	case 3: // city at night
		gradient(hsl(240, 0.5, 0.1), hsl(260+hue, 0.5, 0.3), 0, h)
		for x := 0; x < w; {
			bw, bh := 40+rng.IntN(50), 120+rng.IntN(240)
			draw.Draw(img, image.Rect(x, h-bh, x+bw, h), image.NewUniform(hsl(230, 0.2, 0.12)), image.Point{}, draw.Src)
			for wy := h - bh + 10; wy < h-10; wy += 16 {
				for wx := x + 6; wx < x+bw-8; wx += 12 {
					if rng.IntN(3) > 0 {
						draw.Draw(img, image.Rect(wx, wy, wx+5, wy+8), image.NewUniform(hsl(45, 0.9, 0.65)), image.Point{}, draw.Src)
					}
				}
			}
			x += bw + 4
		}
	case 4: // a bowl on a table
		gradient(hsl(25+hue/2, 0.45, 0.55), hsl(20, 0.45, 0.35), 0, h)
		disc(img, w/2, h/2, 170, hsl(0, 0, 0.95))
		disc(img, w/2, h/2, 140, hsl(10+hue, 0.8, 0.45))
		for range 14 {
			disc(img, w/2+rng.IntN(180)-90, h/2+rng.IntN(180)-90, 10+rng.IntN(14), hsl(rng.Float64()*120, 0.7, 0.55))
		}
	default: // stripes
		for x := 0; x < w; x++ {
			for y := 0; y < h; y++ {
				img.Set(x, y, hsl(math.Mod(float64(x+y)/3+hue*9, 360), 0.65, 0.6))
			}
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode scene: %w", err)
	}
	return buf.Bytes(), nil
}

func mix(a, b uint8, t float64) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t) }

// disc fills a circle.
func disc(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				img.Set(x, y, c)
			}
		}
	}
}

// ridge fills a mountain line around height y (amplitude a) down to the
// bottom.
func ridge(img *image.RGBA, rng *rand.Rand, y, a int, c color.RGBA) {
	b := img.Bounds()
	f1, f2 := 0.005+rng.Float64()*0.01, 0.02+rng.Float64()*0.02
	for x := 0; x < b.Dx(); x++ {
		top := y - int(float64(a)*(math.Sin(float64(x)*f1)+0.4*math.Sin(float64(x)*f2)))
		draw.Draw(img, image.Rect(x, top, x+1, b.Dy()), image.NewUniform(c), image.Point{}, draw.Src)
	}
}
