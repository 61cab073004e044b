package casefile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and validates the case file of caseDir.
func Load(caseDir string) (*Case, error) {
	path := filepath.Join(caseDir, FileName)
	raw, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s not found: is %s a case directory? (breachscope synth or init creates one): %w", path, caseDir, ErrInvalid)
		}
		return nil, fmt.Errorf("read case file: %w", err)
	}
	return Parse(caseDir, path, raw)
}

// Parse validates raw as the case file of caseDir; display names the file in errors.
func Parse(caseDir, display string, raw []byte) (*Case, error) {
	probs := &Problems{File: display}
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		probs.Items = append(probs.Items, Problem{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")})
		return nil, probs
	}
	if len(root.Content) == 0 {
		probs.Items = append(probs.Items, Problem{Msg: "the file is empty"})
		return nil, probs
	}
	w := &walker{lines: map[string]int{}, probs: probs}
	w.walk(root.Content[0], reflect.TypeOf(Case{}), "")
	if len(probs.Items) > 0 {
		return nil, probs
	}
	c := &Case{Dir: caseDir, Raw: raw}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		probs.Items = append(probs.Items, Problem{Msg: strings.TrimPrefix(err.Error(), "yaml: ")})
		return nil, probs
	}
	v := &validator{c: c, lines: w.lines, probs: probs}
	v.validate()
	if len(probs.Items) > 0 {
		sort.SliceStable(probs.Items, func(i, j int) bool { return probs.Items[i].Line < probs.Items[j].Line })
		return nil, probs
	}
	return c, nil
}

// walker checks every mapping key against the struct it decodes into and
// records the line of every key path, so later checks can point at lines.
type walker struct {
	lines map[string]int
	probs *Problems
}

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.probs.Items = append(w.probs.Items, Problem{Line: n.Line, Key: path, Msg: "expected a mapping of keys"})
			return
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = t.Field(i)
			names = append(names, tag)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			kp := join(path, k.Value)
			f, ok := fields[k.Value]
			if !ok {
				w.probs.Items = append(w.probs.Items, Problem{Line: k.Line, Key: kp,
					Msg: "unknown key" + suggest(k.Value, names) + "; valid keys here: " + strings.Join(names, ", ")})
				continue
			}
			w.lines[kp] = k.Line
			w.walk(val, f.Type, kp)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			if n.Tag != "!!null" {
				w.probs.Items = append(w.probs.Items, Problem{Line: n.Line, Key: path, Msg: "expected a mapping of keys"})
			}
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kp := join(path, n.Content[i].Value)
			w.lines[kp] = n.Content[i].Line
			w.walk(n.Content[i+1], t.Elem(), kp)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return
		}
		if n.Kind != yaml.SequenceNode {
			if n.Tag != "!!null" {
				w.probs.Items = append(w.probs.Items, Problem{Line: n.Line, Key: path, Msg: "expected a list"})
			}
			return
		}
		for i, item := range n.Content {
			ip := fmt.Sprintf("%s[%d]", path, i)
			w.lines[ip] = item.Line
			w.walk(item, t.Elem(), ip)
		}
	default:
		if n.Kind != yaml.ScalarNode {
			w.probs.Items = append(w.probs.Items, Problem{Line: n.Line, Key: path, Msg: "expected a single value, not a list or mapping"})
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
