package matching

import (
	"context"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// TestNegatedOfferRanksBelow: a request for X must rank an offer of X
// above an offer that says it does not offer X, in every language. The
// negating offer names X more often than the real one, so without
// negation handling it would come first.
func TestNegatedOfferRanksBelow(t *testing.T) {
	an, err := textanalysis.New([]textanalysis.Concept{
		{ID: "rail-freight", Terms: map[isa.Lang][]string{isa.DE: {"Bahnfracht", "Schienengüterverkehr"}, isa.ZH: {"铁路运输", "铁路货运"}, isa.EN: {"rail freight", "rail transport"}}},
		{ID: "sea-freight", Terms: map[isa.Lang][]string{isa.DE: {"Seefracht"}, isa.ZH: {"海运"}, isa.EN: {"sea freight"}}},
		{ID: "heat-pump", Terms: map[isa.Lang][]string{isa.DE: {"Wärmepumpe"}, isa.ZH: {"热泵"}, isa.EN: {"heat pump"}}},
		{ID: "boiler", Terms: map[isa.Lang][]string{isa.DE: {"Heizkessel"}, isa.ZH: {"锅炉"}, isa.EN: {"boiler"}}},
		{ID: "injection-mould", Terms: map[isa.Lang][]string{isa.DE: {"Spritzgießwerkzeug"}, isa.ZH: {"注塑模具"}, isa.EN: {"injection mould"}}},
		{ID: "die-casting-mould", Terms: map[isa.Lang][]string{isa.DE: {"Druckgussform"}, isa.ZH: {"压铸模具"}, isa.EN: {"die-casting mould"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	type listing struct{ ref, lang, title, desc string }
	tests := []struct {
		name                string
		request             listing
		offer, negatedOffer listing
	}{
		{
			name:         "en request, zh offers",
			request:      listing{"req", "en", "Rail freight partner wanted", "We import spare parts and look for rail freight from China to Europe."},
			offer:        listing{"yes", "zh", "中欧物流服务", "我们提供铁路运输和清关服务。"},
			negatedOffer: listing{"no", "zh", "中欧物流服务", "我们提供海运和清关服务，铁路运输我们不提供。铁路货运暂不考虑。"},
		},
		{
			name:         "de request, en offers",
			request:      listing{"req", "de", "Wärmepumpen gesucht", "Wir suchen einen Hersteller von Wärmepumpen für Einfamilienhäuser."},
			offer:        listing{"yes", "en", "Heating equipment for export", "We manufacture heat pumps and controllers."},
			negatedOffer: listing{"no", "en", "Heating equipment for export", "We manufacture boilers and controllers. Heat pumps we do not offer, and heat pump parts are not in our program."},
		},
		{
			name:         "zh request, de offers",
			request:      listing{"req", "zh", "寻找注塑模具供应商", "我司需要注塑模具，用于家电外壳生产。"},
			offer:        listing{"yes", "de", "Formenbau aus dem Schwarzwald", "Wir fertigen Spritzgießwerkzeuge für Gehäuse."},
			negatedOffer: listing{"no", "de", "Formenbau aus dem Schwarzwald", "Wir fertigen Druckgussformen für Gehäuse. Spritzgießwerkzeuge bieten wir nicht an, Spritzgießwerkzeuge für Kleinserien sind ebenfalls nicht im Programm."},
		},
	}
	now := func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeSource{listings: map[string]*isa.Listing{}, orgs: map[string]*isa.Organisation{}, cities: map[string]isa.City{
				"hamburg": {Slug: "hamburg", Country: isa.Germany}, "taizhou": {Slug: "taizhou", Country: isa.China},
			}}
			city := map[isa.Lang]string{isa.DE: "hamburg", isa.EN: "hamburg", isa.ZH: "taizhou"}
			var docs []search.Document
			add := func(l listing, kind isa.ListingKind, cityOf isa.Lang) {
				org := "org-" + l.ref
				src.orgs[org] = &isa.Organisation{Ref: org, City: city[cityOf]}
				li := &isa.Listing{Ref: l.ref, Org: org, Kind: kind, Lang: isa.Lang(l.lang), Title: l.title, Description: l.desc,
					Cooperation: []string{"supply"}, State: isa.Published}
				src.listings[l.ref] = li
				docs = append(docs, search.Document{Listing: li, OrgKind: isa.Company, City: city[cityOf], Country: src.cities[city[cityOf]].Country})
			}
			// Both offers come from the side opposite the request, so that
			// only their texts tell them apart.
			reqSide := isa.Lang(tc.request.lang)
			offerSide := isa.ZH
			if reqSide == isa.ZH {
				offerSide = isa.DE
			}
			add(tc.request, isa.Request, reqSide)
			add(tc.offer, isa.Offer, offerSide)
			add(tc.negatedOffer, isa.Offer, offerSide)
			idx := search.NewMemory(an, now)
			if err := idx.Put(ctx, docs...); err != nil {
				t.Fatal(err)
			}
			res, err := New(idx, an, src, nil, now).Matches(ctx, "req", isa.EN, 10)
			if err != nil {
				t.Fatal(err)
			}
			rank := map[string]int{}
			score := map[string]float64{}
			for i, m := range res.Matches {
				rank[m.Ref] = i + 1
				score[m.Ref] = m.Score
			}
			if rank["yes"] != 1 {
				t.Errorf("offer of the subject ranks %d, want 1 (scores %v)", rank["yes"], score)
			}
			if r, ok := rank["no"]; ok && score["no"] >= score["yes"] {
				t.Errorf("offer that excludes the subject ranks %d with score %.3f >= %.3f", r, score["no"], score["yes"])
			}
		})
	}
}
