package mpdemo

import (
	"testing"

	"plaza/hooks/miniprograms"
	"plaza/hooks/miniprograms/mpclient"
	"plaza/hooks/oa"
)

// TestClientSignsAsPlazaChecks: mpclient (what an app's server runs) and
// Plaza's own code compute every signature alike: the server API's, the
// launch's and the webhook's.
func TestClientSignsAsPlazaChecks(t *testing.T) {
	body := []byte(`{"order_no":"cafe-1","openid":"o_1","amount":1800,"description":"1× Flat white"}`)
	if a, b := mpclient.Sign("s3cret", "POST", "/api/plaza/mp/server/orders?x=1", "1764700000", "nonce_0123456789ab", body),
		miniprograms.SignRequest("s3cret", "POST", "/api/plaza/mp/server/orders?x=1", "1764700000", "nonce_0123456789ab", body); a != b {
		t.Errorf("server API: client %s, Plaza %s", a, b)
	}
	for _, scene := range mpclient.Scenes {
		if a, b := mpclient.LaunchSignature("s3cret", "mp0123456789abcdef", "o_a b&c", scene, 1764700000),
			miniprograms.SignLaunch("s3cret", "mp0123456789abcdef", "o_a b&c", scene, 1764700000); a != b {
			t.Errorf("launch %s: client %s, Plaza %s", scene, a, b)
		}
	}
	if a, b := mpclient.WebhookSignature("s3cret", "1764700000", body), oa.Sign("s3cret", "1764700000", body); a != b {
		t.Errorf("webhook: client %s, Plaza %s", a, b)
	}
	for _, scene := range miniprograms.Scenes {
		found := false
		for _, s := range mpclient.Scenes {
			found = found || s == scene
		}
		if !found {
			t.Errorf("scene %q of Plaza's is not in mpclient.Scenes", scene)
		}
	}
}
