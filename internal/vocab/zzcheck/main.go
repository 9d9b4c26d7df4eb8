package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
	"github.com/isa-alliance/isa/internal/vocab"
)

func main() {
	v, err := vocab.Default()
	if err != nil {
		panic(err)
	}
	keys := map[string]map[string]string{}
	for _, l := range isa.Langs {
		for _, e := range v.Terms(l) {
			if strings.ContainsFunc(e.Term, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				continue
			}
			words := strings.FieldsFunc(e.Term, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			for _, sl := range []string{"de", "en"} {
				var st []string
				for _, w := range words {
					f := textanalysis.Fold(w)
					if textanalysis.IsStopword(f) && len(words) == 1 {
						fmt.Println("STOPWORD-ONLY", e.ConceptID, e.Term)
					}
					st = append(st, textanalysis.Stem(f, sl))
				}
				k := strings.Join(st, " ")
				if keys[k] == nil {
					keys[k] = map[string]string{}
				}
				keys[k][e.ConceptID] = e.Term
			}
		}
	}
	var out []string
	for k, m := range keys {
		if len(m) > 1 {
			out = append(out, fmt.Sprintf("%s: %v", k, m))
		}
	}
	sort.Strings(out)
	for _, o := range out {
		fmt.Println(o)
	}
	fmt.Println(len(out))
}
