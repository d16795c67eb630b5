package e2e

import "time"

// WaitChatSocket waits (up to five seconds) until the page's chat socket is
// open, so that a frame the test causes next reaches it live.
func (p *Page) WaitChatSocket() {
	p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var open bool
		p.Eval(`!!(window.plazaChat && window.plazaChat.state.socket && window.plazaChat.state.socket.readyState === 1)`, &open)
		if open {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatal("the chat socket did not open")
}
