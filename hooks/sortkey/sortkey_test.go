package sortkey

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestOf(t *testing.T) {
	tests := []struct {
		name, letter, key string
	}{
		{"", "#", ""},
		{"   ", "#", ""},
		{"zoe", "Z", "zoe"},
		{"Alice", "A", "alice"},
		{"  bob  ", "B", "bob"},
		{"Émile", "E", "emile"},
		{"Ｚoë", "Z", "zoe"}, // full-width Z folded by NFKD
		{"Øyvind Łukasz", "O", "oyvind lukasz"},
		{"Straße", "S", "strasse"},
		{"张三", "Z", "zhang san"},
		{"李雷", "L", "li lei"},
		{"李磊", "L", "li lei"},
		{"阿姨", "A", "a yi"},
		{"绿", "L", "lv"}, // Normal style writes ü as v
		{"Alice 王", "A", "alice wang"},
		{"王Alice", "W", "wang alice"},
		{"Alice王", "A", "alice wang"},
		{"Tom  and   Jerry", "T", "tom and jerry"},
		{"\u200b王芳", "W", "wang fang"}, // zero-width space is ignored
		{"123abc", "#", "123abc"},
		{"😀smile", "#", "😀smile"},
		{"(Ann)", "#", "(ann)"},
		{"Ωmega", "#", "ωmega"},
		{"々", "#", "々"}, // Han without a pinyin reading
	}
	for _, tt := range tests {
		letter, key := Of(tt.name)
		if letter != tt.letter || key != tt.key {
			t.Errorf("Of(%q) = %q, %q; want %q, %q", tt.name, letter, key, tt.letter, tt.key)
		}
	}
}

// TestOfPolyphonicSurnames documents what go-pinyin's first reading gives for
// common polyphonic surnames. Several differ from the surname reading (曾 is
// zēng as a surname, 单 shàn, 解 xiè, 查 zhā, 仇 qiú, 区 ōu, 朴 piáo, 盖 gě,
// 乐 yuè, 覃 qín, 缪 miào); the contacts list follows go-pinyin on purpose.
func TestOfPolyphonicSurnames(t *testing.T) {
	tests := []struct {
		name, letter, key string
	}{
		{"曾", "C", "ceng"},
		{"单", "D", "dan"},
		{"解", "J", "jie"},
		{"查", "C", "cha"},
		{"仇", "C", "chou"},
		{"区", "Q", "qu"},
		{"朴", "P", "pu"},
		{"盖", "G", "gai"},
		{"乐", "L", "le"},
		{"覃", "T", "tan"},
		{"缪", "M", "mou"},
		{"尉", "W", "wei"},
		{"长", "Z", "zhang"},
		{"重", "Z", "zhong"},
	}
	for _, tt := range tests {
		letter, key := Of(tt.name)
		if letter != tt.letter || key != tt.key {
			t.Errorf("Of(%q) = %q, %q; want %q, %q", tt.name, letter, key, tt.letter, tt.key)
		}
	}
}

func TestCompare(t *testing.T) {
	// Each pair is in ascending order.
	tests := []struct{ a, b, why string }{
		{"阿姨", "Alice", `"a yi" < "alice": the space after a Han syllable sorts before letters`},
		{"Bob", "bob", "same key; raw tie-break, 'B' < 'b'"},
		{"李磊", "李雷", `same key "li lei"; raw tie-break, U+78CA < U+96F7`},
		{"李", "李雷", `"li" is a prefix of "li lei"`},
		{"李安", "连", `"li an" < "lian": syllables compare one by one`},
		{"李雷", "连", `"li lei" < "lian"`},
		{"chen", "陈静", `"chen" is a prefix of "chen jing"`},
		{"张三", "赵强", `"zhang san" < "zhao qiang"`},
		{"赵强", "zoe", `"zhao qiang" < "zoe"`},
		{"zoe", "", "Z before #"},
		{"Zed", "123", "Z before #"},
		{"", "123abc", "# among themselves by key"},
		{"123abc", "😀smile", "# among themselves by key"},
	}
	for _, tt := range tests {
		if c := Compare(tt.a, tt.b); c >= 0 {
			t.Errorf("Compare(%q, %q) = %d; want < 0 (%s)", tt.a, tt.b, c, tt.why)
		}
		if c := Compare(tt.b, tt.a); c <= 0 {
			t.Errorf("Compare(%q, %q) = %d; want > 0 (%s)", tt.b, tt.a, c, tt.why)
		}
	}
	for _, s := range []string{"", "李雷", "Bob"} {
		if c := Compare(s, s); c != 0 {
			t.Errorf("Compare(%q, %q) = %d; want 0", s, s, c)
		}
	}
}

func TestGroup(t *testing.T) {
	in := []string{"zoe", "张三", "Alice", "阿姨", "bob", "李雷", "王芳", "Émile", "123abc", "😀smile", "赵强", "Bob", "陈静", "chen", ""}
	// Keys: 阿姨 "a yi" < Alice "alice" (space < 'l'); Bob/bob share "bob"
	// and tie-break on the raw name ('B' < 'b'); chen "chen" is a prefix of
	// 陈静 "chen jing"; 张三 "zhang san" < 赵强 "zhao qiang" < zoe "zoe";
	// "#" comes last and orders "" < "123abc" < "😀smile" by key.
	want := []Section[string]{
		{"A", []string{"阿姨", "Alice"}},
		{"B", []string{"Bob", "bob"}},
		{"C", []string{"chen", "陈静"}},
		{"E", []string{"Émile"}},
		{"L", []string{"李雷"}},
		{"W", []string{"王芳"}},
		{"Z", []string{"张三", "赵强", "zoe"}},
		{"#", []string{"", "123abc", "😀smile"}},
	}
	orig := slices.Clone(in)
	got := Group(in, func(s string) string { return s })
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Group =\n%v\nwant\n%v", got, want)
	}
	if !slices.Equal(in, orig) {
		t.Errorf("Group modified its input: %q", in)
	}

	// Group agrees with sorting by Compare, whatever the input order.
	flat := slices.Clone(in)
	slices.SortFunc(flat, Compare)
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		got := Group(in, func(s string) string { return s })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Group(%q) =\n%v\nwant\n%v", in, got, want)
		}
	}
	var joined []string
	for _, s := range want {
		joined = append(joined, s.Items...)
	}
	if !slices.Equal(flat, joined) {
		t.Errorf("sorted by Compare = %q; want %q", flat, joined)
	}
}

func TestGroupStructsStable(t *testing.T) {
	type contact struct {
		ID   int
		Name string
	}
	in := []contact{{1, "王芳"}, {2, "alice"}, {3, "王芳"}, {4, "Alice 王"}, {5, "王芳"}}
	got := Group(in, func(c contact) string { return c.Name })
	want := []Section[contact]{
		{"A", []contact{{2, "alice"}, {4, "Alice 王"}}},
		{"W", []contact{{1, "王芳"}, {3, "王芳"}, {5, "王芳"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Group = %v; want %v", got, want)
	}
	if got := Group([]contact(nil), func(c contact) string { return c.Name }); got != nil {
		t.Errorf("Group(nil) = %v; want nil", got)
	}
}

func mixedNames(n int) []string {
	r := rand.New(rand.NewPCG(42, 7))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曾单解查")
	given := []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂雷婷")
	latin := []string{"Alice", "bob", "Émile", "Zoë", "chen", "Łukasz", "Olivia", "noah", "Straße", "Yuki"}
	other := []string{"123", "😀", "#tag", "(", "  "}
	names := make([]string, n)
	for i := range names {
		var b strings.Builder
		switch r.IntN(4) {
		case 0, 1:
			b.WriteRune(surnames[r.IntN(len(surnames))])
			for range 1 + r.IntN(2) {
				b.WriteRune(given[r.IntN(len(given))])
			}
		case 2:
			fmt.Fprintf(&b, "%s %s", latin[r.IntN(len(latin))], latin[r.IntN(len(latin))])
		default:
			fmt.Fprintf(&b, "%s%s %c", other[r.IntN(len(other))], latin[r.IntN(len(latin))], surnames[r.IntN(len(surnames))])
		}
		names[i] = b.String()
	}
	return names
}

func BenchmarkGroup(b *testing.B) {
	names := mixedNames(5000)
	id := func(s string) string { return s }
	b.ReportAllocs()
	for b.Loop() {
		Group(names, id)
	}
}
