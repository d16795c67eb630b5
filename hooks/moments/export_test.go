package moments

// PlanSQL are the page queries TestFeedQueriesUseTheIndex explains, by name.
var PlanSQL = map[string]string{
	"feed":             feedSQL,
	"feed (few)":       feedFewSQL,
	"album (self)":     albumSQL(accessSelf),
	"album (friend)":   albumSQL(accessFriend),
	"album (stranger)": albumSQL(accessStranger),
}

// SetFeedFewAuthors changes when a feed reads by author (feedFewAuthors).
func (s *Service) SetFeedFewAuthors(n int) { s.feedFew = n }
