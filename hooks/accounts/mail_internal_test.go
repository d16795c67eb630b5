package accounts

import (
	"reflect"
	"testing"
)

func TestMailLinks(t *testing.T) {
	html := `<p>Hi</p><a class="btn" href="http://127.0.0.1:8090/reset/abc.def?x=1&amp;y=2" target="_blank">Reset</a><a href="https://plaza.example/help">help</a>`
	want := []string{"http://127.0.0.1:8090/reset/abc.def?x=1&y=2", "https://plaza.example/help"}
	if got := mailLinks(html); !reflect.DeepEqual(got, want) {
		t.Fatalf("mailLinks = %v, want %v", got, want)
	}
}
