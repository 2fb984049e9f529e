package protocol

import (
	"fmt"
	"strings"
)

// A checker inspects the value of one Options, Details or Extra key and
// returns why it is invalid, or "" when it is valid.
type checker func(v any) string

// A rule checks one key of a dict; a required key must be present.
type rule struct {
	key      string
	check    checker
	required bool
}

// A schema lists the keys of a dict the spec defines. Keys it does not
// list (custom keys, "x_" vendor keys) are allowed with any value.
type schema struct {
	rules []rule
	// required holds the indexes of the required rules, ascending.
	required []int
	// byLen[n] holds the indexes of the rules whose key is n bytes long,
	// ascending.
	byLen [][]uint8
}

// check returns the first key of d, in the order of s's rules, that breaks
// s, and why: a required key that is missing or a key whose value its
// checker rejects. A nil schema accepts every dict.
func (s *schema) check(d Dict) (key, reason string) {
	switch {
	case s == nil:
		return "", ""
	case len(d) == 0:
		if len(s.required) > 0 {
			return s.rules[s.required[0]].key, "is required"
		}
		return "", ""
	case 7*len(d)+15 < 5*len(s.rules):
		// Starting a map iteration costs about three lookups, and each
		// key walked about one and a half: walking the keys pays only when
		// d has markedly fewer keys than s has rules.
		return s.checkByKey(d)
	}
	return s.checkByRule(d)
}

// checkByRule is check walking the rules of s and looking each key up in d.
func (s *schema) checkByRule(d Dict) (key, reason string) {
	for _, r := range s.rules {
		val, ok := d[r.key]
		if !ok {
			if r.required {
				return r.key, "is required"
			}
			continue
		}
		if reason := r.check(val); reason != "" {
			return r.key, reason
		}
	}
	return "", ""
}

// checkByKey is checkByRule walking the keys of d rather than the rules of
// s, for a dict with few keys: it reports the failing rule that comes first
// in s, as checkByRule does.
func (s *schema) checkByKey(d Dict) (key, reason string) {
	first := len(s.rules) // index of the first failing rule found so far
	for _, i := range s.required {
		if _, ok := d[s.rules[i].key]; !ok {
			first, reason = i, "is required"
			break
		}
	}
	for k, val := range d {
		i := s.index(k)
		if i < 0 || i >= first {
			continue
		}
		if why := s.rules[i].check(val); why != "" {
			first, reason = i, why
		}
	}
	if first == len(s.rules) {
		return "", ""
	}
	return s.rules[first].key, reason
}

// index returns the index of the rule for key, or -1 if s has none.
func (s *schema) index(key string) int {
	if len(key) >= len(s.byLen) {
		return -1
	}
	for _, i := range s.byLen[len(key)] {
		if s.rules[i].key == key {
			return int(i)
		}
	}
	return -1
}

func rules(parts ...[]rule) *schema {
	s := &schema{}
	for _, p := range parts {
		s.rules = append(s.rules, p...)
	}
	if len(s.rules) > 256 {
		panic("protocol: schema with more than 256 rules")
	}
	for i, r := range s.rules {
		if s.index(r.key) >= 0 {
			panic("protocol: schema with duplicate key " + r.key)
		}
		if r.required {
			s.required = append(s.required, i)
		}
		for len(s.byLen) <= len(r.key) {
			s.byLen = append(s.byLen, nil)
		}
		s.byLen[len(r.key)] = append(s.byLen[len(r.key)], uint8(i))
	}
	return s
}

// The dict schemas, by message.
var (
	passthruRules = []rule{
		{key: "enc_algo", check: isEncAlgo},
		{key: "enc_serializer", check: isString},
		{key: "enc_key", check: isString},
		{key: "ppt_scheme", check: isNonEmptyString},
		{key: "ppt_serializer", check: isString},
		{key: "ppt_cipher", check: isString},
		{key: "ppt_keyid", check: isString},
	}
	forwardRules = []rule{{key: "forward_for", check: isForwardFor}}

	helloDetails = rules([]rule{
		{key: "roles", check: isRoles, required: true},
		{key: "authid", check: isString},
		{key: "authrole", check: isString},
		{key: "authmethods", check: isStringList},
		{key: "authextra", check: isDict},
		{key: "agent", check: isString},
	})
	welcomeDetails = rules([]rule{
		{key: "roles", check: isRoles, required: true},
		{key: "realm", check: isString},
		{key: "authid", check: isString},
		{key: "authrole", check: isString},
		{key: "authmethod", check: isString},
		{key: "authprovider", check: isString},
		{key: "authextra", check: isDict},
		{key: "agent", check: isString},
	})
	abortDetails   = rules([]rule{{key: "message", check: isString}}, passthruRules)
	goodbyeDetails = rules([]rule{{key: "message", check: isString}})
	challengeExtra = rules([]rule{
		{key: "challenge", check: isString},
		{key: "salt", check: isString},
		{key: "iterations", check: isNonNegInt},
		{key: "keylen", check: isNonNegInt},
	})
	errorDetails   = rules(forwardRules, passthruRules)
	publishOptions = rules([]rule{
		{key: "acknowledge", check: isBool},
		{key: "exclude_me", check: isBool},
		{key: "disclose_me", check: isBool},
		{key: "retain", check: isBool},
		{key: "exclude", check: isIDList},
		{key: "eligible", check: isIDList},
		{key: "exclude_authid", check: isStringList},
		{key: "exclude_authrole", check: isStringList},
		{key: "eligible_authid", check: isStringList},
		{key: "eligible_authrole", check: isStringList},
		{key: "transaction_hash", check: isString},
		{key: "rkey", check: isString},
	}, forwardRules, passthruRules)
	subscribeOptions = rules([]rule{
		{key: "match", check: oneOf(MatchExact, MatchPrefix, MatchWildcard)},
		{key: "get_retained", check: isBool},
		{key: "nkey", check: isString},
		{key: "nodekey", check: isString},
	}, forwardRules)
	unsubscribedDetails = rules([]rule{
		{key: "subscription", check: isID},
		{key: "reason", check: isString},
	})
	eventDetails = rules([]rule{
		{key: "publisher", check: isID},
		{key: "publisher_authid", check: isString},
		{key: "publisher_authrole", check: isString},
		{key: "topic", check: isURI},
		{key: "retained", check: isBool},
		{key: "transaction_hash", check: isString},
		{key: "x_acknowledged_delivery", check: isBool},
		{key: "trustlevel", check: isNonNegInt},
	}, forwardRules, passthruRules)
	callOptions = rules([]rule{
		{key: "receive_progress", check: isBool},
		{key: "progress", check: isBool},
		{key: "timeout", check: isNonNegInt},
		{key: "disclose_me", check: isBool},
		{key: "rkey", check: isString},
		{key: "runmode", check: isString},
	}, forwardRules, passthruRules)
	cancelOptions = rules([]rule{
		{key: "mode", check: oneOf(CancelSkip, CancelKill, CancelKillNoWait)},
	}, forwardRules)
	resultDetails   = rules([]rule{{key: "progress", check: isBool}}, forwardRules, passthruRules)
	registerOptions = rules([]rule{
		{key: "match", check: oneOf(MatchExact, MatchPrefix, MatchWildcard)},
		{key: "invoke", check: oneOf(InvokeSingle, InvokeRoundRobin, InvokeRandom, InvokeFirst, InvokeLast)},
		{key: "disclose_caller", check: isBool},
		{key: "concurrency", check: isPositiveInt},
		{key: "forward_timeout", check: isBool},
	}, forwardRules)
	unregisteredDetails = rules([]rule{
		{key: "registration", check: isID},
		{key: "reason", check: isString},
	})
	invocationDetails = rules([]rule{
		{key: "caller", check: isID},
		{key: "caller_authid", check: isString},
		{key: "caller_authrole", check: isString},
		{key: "procedure", check: isURI},
		{key: "receive_progress", check: isBool},
		{key: "progress", check: isBool},
		{key: "timeout", check: isNonNegInt},
		{key: "trustlevel", check: isNonNegInt},
	}, forwardRules, passthruRules)
	interruptOptions = rules([]rule{
		{key: "mode", check: oneOf(CancelKill, CancelKillNoWait)},
		{key: "reason", check: isString},
	}, forwardRules)
	yieldOptions = rules([]rule{{key: "progress", check: isBool}}, forwardRules, passthruRules)

	// forwardHop is the schema of one forward_for item.
	forwardHop = rules([]rule{
		{key: "session", check: isID},
		{key: "authid", check: isString},
		{key: "authrole", check: isString},
	})
)

func isBool(v any) string {
	if _, ok := v.(bool); !ok {
		return "must be a bool, got " + describe(v)
	}
	return ""
}

func isString(v any) string {
	if _, ok := v.(string); !ok {
		return "must be a string, got " + describe(v)
	}
	return ""
}

func isNonEmptyString(v any) string {
	if s, ok := v.(string); !ok || s == "" {
		return "must be a non-empty string, got " + describe(v)
	}
	return ""
}

func isDict(v any) string {
	if _, ok := v.(map[string]any); !ok {
		return "must be a dict, got " + describe(v)
	}
	return ""
}

func isID(v any) string {
	if _, ok := idValue(v); !ok {
		return idReason(v)
	}
	return ""
}

func isNonNegInt(v any) string {
	if neg, _, ok := intValue(v); !ok || neg {
		return "must be a non-negative integer, got " + describe(v)
	}
	return ""
}

func isPositiveInt(v any) string {
	if neg, mag, ok := intValue(v); !ok || neg || mag == 0 {
		return "must be a positive integer, got " + describe(v)
	}
	return ""
}

func isURI(v any) string {
	s, ok := v.(string)
	if !ok {
		return "must be a URI string, got " + describe(v)
	}
	if !ValidURI(s, false, false) {
		return fmt.Sprintf("must be a valid URI, got %q", s)
	}
	return ""
}

func oneOf(values ...string) checker {
	want := `one of "` + strings.Join(values, `", "`) + `"`
	return func(v any) string {
		s, ok := v.(string)
		if !ok {
			return "must be " + want + ", got " + describe(v)
		}
		for _, w := range values {
			if s == w {
				return ""
			}
		}
		return fmt.Sprintf("must be %s, got %q", want, s)
	}
}

// isIDList accepts a list of ids; besides []any, the Go slices []ID,
// []int64 and []int a sender may build are accepted.
func isIDList(v any) string {
	switch l := v.(type) {
	case []any:
		return checkIDs(l)
	case []uint64:
		return checkIDs(l)
	case []int64:
		return checkIDs(l)
	case []int:
		return checkIDs(l)
	}
	return "must be a list of ids, got " + describe(v)
}

func checkIDs[T any](l []T) string {
	for _, e := range l {
		if _, ok := idValue(e); !ok {
			return "must be a list of ids, has item " + describe(e)
		}
	}
	return ""
}

// isStringList accepts a list of strings, as []any or []string.
func isStringList(v any) string {
	switch l := v.(type) {
	case []string:
		return ""
	case []any:
		for _, e := range l {
			if _, ok := e.(string); !ok {
				return "must be a list of strings, has item " + describe(e)
			}
		}
		return ""
	}
	return "must be a list of strings, got " + describe(v)
}

// isEncAlgo accepts the payload passthru algorithms Autobahn defines and
// vendor algorithms prefixed "x_".
func isEncAlgo(v any) string {
	s, ok := v.(string)
	if !ok {
		return "must be a string, got " + describe(v)
	}
	switch {
	case s == "cryptobox", s == "mqtt", s == "xbr":
		return ""
	case len(s) > 2 && strings.HasPrefix(s, "x_"):
		return ""
	}
	return fmt.Sprintf(`must be "cryptobox", "mqtt", "xbr" or start with "x_", got %q`, s)
}

// isForwardFor accepts the router-to-router forward_for list: dicts whose
// session, authid and authrole keys, when present, are an id and strings.
func isForwardFor(v any) string {
	var items []map[string]any
	switch l := v.(type) {
	case []map[string]any:
		items = l
	case []any:
		items = make([]map[string]any, len(l))
		for i, e := range l {
			d, ok := e.(map[string]any)
			if !ok {
				return fmt.Sprintf("must be a list of dicts, item %d is %s", i, describe(e))
			}
			items[i] = d
		}
	default:
		return "must be a list of dicts, got " + describe(v)
	}
	for i, d := range items {
		if key, reason := forwardHop.check(d); reason != "" {
			return fmt.Sprintf("item %d: %s %s", i, key, reason)
		}
	}
	return ""
}

// isRoles accepts the roles dict of HELLO and WELCOME: at least one role,
// each a dict whose features, when present, is a dict.
func isRoles(v any) string {
	roles, ok := v.(map[string]any)
	if !ok {
		return "must be a dict, got " + describe(v)
	}
	if len(roles) == 0 {
		return "must announce at least one role"
	}
	// Report the first bad role in name order, so errors are deterministic.
	var bad, reason string
	for name, r := range roles {
		if reason != "" && name > bad {
			continue
		}
		if why := roleReason(r); why != "" {
			bad, reason = name, why
		}
	}
	if reason != "" {
		return fmt.Sprintf("role %q %s", bad, reason)
	}
	return ""
}

func roleReason(r any) string {
	rd, ok := r.(map[string]any)
	if !ok {
		return "must be a dict, got " + describe(r)
	}
	if f, ok := rd["features"]; ok {
		if _, ok := f.(map[string]any); !ok {
			return "features must be a dict, got " + describe(f)
		}
	}
	return ""
}
