package search

// Replacing a listing appends a new document and leaves the old one dead
// in the posting lists. compactLocked drops dead documents once they are a
// quarter of the index, so a server that runs for months does not grow with
// every edit.

func (m *Memory) maybeCompactLocked() {
	dead := len(m.docs.ref) - m.live
	if dead > 1000 && dead > m.live/4 {
		m.compactLocked()
	}
}

func (m *Memory) compactLocked() {
	old := &m.docs
	remap := make([]int32, len(old.ref))
	var t docTable
	for d := range old.ref {
		if !old.alive[d] {
			remap[d] = -1
			continue
		}
		remap[d] = int32(len(t.ref))
		t.ref = append(t.ref, old.ref[d])
		t.title = append(t.title, old.title[d])
		t.text = append(t.text, old.text[d])
		t.lang = append(t.lang, old.lang[d])
		t.kind = append(t.kind, old.kind[d])
		t.country = append(t.country, old.country[d])
		t.orgKind = append(t.orgKind, old.orgKind[d])
		t.city = append(t.city, old.city[d])
		t.org = append(t.org, old.org[d])
		t.coop = append(t.coop, old.coop[d])
		t.sections = append(t.sections, old.sections[d])
		t.published = append(t.published, old.published[d])
		t.expires = append(t.expires, old.expires[d])
		t.length = append(t.length, old.length[d])
		t.alive = append(t.alive, true)
		t.industries = append(t.industries, old.industries[d])
		t.trans = append(t.trans, old.trans[d])
		t.concepts = append(t.concepts, old.concepts[d])
	}
	for i := range m.postings {
		p := &m.postings[i]
		docs := make([]int32, 0, len(p.docs))
		tf := make([]uint16, 0, len(p.docs))
		for j, d := range p.docs {
			if nd := remap[d]; nd >= 0 {
				docs = append(docs, nd)
				tf = append(tf, p.tf[j])
			}
		}
		p.docs, p.tf = docs, tf
	}
	for ref, d := range m.byRef {
		m.byRef[ref] = remap[d]
	}
	m.docs = t
	// Pooled scratch arrays are sized for the old document count; larger
	// ones are simply reused, so nothing needs resetting.
}
