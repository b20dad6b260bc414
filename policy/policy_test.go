package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/policy"
)

func TestPresetsAreValid(t *testing.T) {
	for _, name := range []string{"production", "development"} {
		p, ok := policy.Preset(name)
		require.True(t, ok)
		require.NoError(t, p.Validate())
		require.GreaterOrEqual(t, p.RotateBefore, 7*policy.Day, "the guide rotates at least a week before expiry")
	}
	require.Equal(t, 90*policy.Day, policy.Production().RotateEvery)
	require.Equal(t, 180*policy.Day, policy.Development().RotateEvery)
	_, ok := policy.Preset("staging")
	require.False(t, ok)
	// A preset handed out is a copy: no caller can change another's.
	p, _ := policy.Preset("production")
	p.WarnBefore[0] = time.Second
	require.Equal(t, 14*policy.Day, policy.Production().WarnBefore[0])
	q := policy.Production()
	q.WarnBefore[0], q.RotateEvery = time.Second, time.Second
	require.Equal(t, 14*policy.Day, policy.Production().WarnBefore[0])
	require.Equal(t, 90*policy.Day, policy.Production().RotateEvery)
	require.Equal(t, 14*policy.Day, policy.Development().WarnBefore[0])
}

func TestPolicyValidate(t *testing.T) {
	ok := policy.Production()
	cases := map[string]func(p *policy.Policy){
		"zero interval":                      func(p *policy.Policy) { p.RotateEvery = 0 },
		"negative lead":                      func(p *policy.Policy) { p.RotateBefore = -time.Hour },
		"lifetime zero":                      func(p *policy.Policy) { p.LifetimeDays = 0 },
		"lifetime above 365":                 func(p *policy.Policy) { p.LifetimeDays = 366 },
		"token would expire before rotation": func(p *policy.Policy) { p.LifetimeDays = 97 },
		"grace not whole hours":              func(p *policy.Policy) { p.Grace = 90 * time.Minute },
		"grace negative":                     func(p *policy.Policy) { p.Grace = -time.Hour },
		"grace above 720h": func(p *policy.Policy) {
			p.Grace = 721 * time.Hour
			p.RotateBefore = 31 * policy.Day
			p.LifetimeDays = 122
		},
		"grace shorter than consumer cache": func(p *policy.Policy) { p.ConsumerCacheTTL = 25 * time.Hour },
		"grace longer than the lead":        func(p *policy.Policy) { p.Grace = 8 * 24 * time.Hour },
		"unknown strategy":                  func(p *policy.Policy) { p.Strategy = "yolo" },
		"bad warning":                       func(p *policy.Policy) { p.WarnBefore = []time.Duration{0} },
		"negative max tokens":               func(p *policy.Policy) { p.MaxTokens = -1 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p := ok
			p.WarnBefore = append([]time.Duration(nil), ok.WarnBefore...)
			mutate(&p)
			err := p.Validate()
			require.ErrorIs(t, err, policy.ErrInvalidPolicy)
		})
	}
	require.NoError(t, ok.Validate())
	exact := ok
	exact.LifetimeDays = 98 // 90 + 7 = 97 < 98
	require.NoError(t, exact.Validate())
}

func TestTargetValidate(t *testing.T) {
	good := policy.Target{User: "SVC", Token: "SVC_PAT", Policy: policy.Production(), Stores: []string{"mem://a"}}
	require.NoError(t, good.Validate())
	require.Equal(t, "SVC/SVC_PAT", good.ID())
	for name, mutate := range map[string]func(t *policy.Target){
		"no user":          func(t *policy.Target) { t.User = "" },
		"bad token":        func(t *policy.Target) { t.Token = "has space" },
		"lower-case token": func(t *policy.Target) { t.Token = "svc_pat" },
		"no stores":        func(t *policy.Target) { t.Stores = nil },
		"repeated store":   func(t *policy.Target) { t.Stores = []string{"mem://a", "mem://a"} },
		"empty store":      func(t *policy.Target) { t.Stores = []string{""} },
		"bad format":       func(t *policy.Target) { t.Format = 9 },
		"bad policy":       func(t *policy.Target) { t.Policy.LifetimeDays = 1 },
	} {
		t.Run(name, func(t *testing.T) {
			tg := good
			mutate(&tg)
			require.ErrorIs(t, tg.Validate(), policy.ErrInvalidTarget)
		})
	}
	bad := good
	bad.Policy.LifetimeDays = 1
	require.ErrorIs(t, bad.Validate(), policy.ErrInvalidPolicy)
}

// A secret pasted into the token field is not echoed into errors (which end
// up in logs), and long names are truncated. (Issue 17.10.)
func TestTargetErrorsDoNotEchoTheTokenField(t *testing.T) {
	const secret = "eyJraWQiOiJ0ZXN0IiwiYWxnIjoiRVMyNTYifQ.c2VjcmV0LXBheWxvYWQtdGhhdC1sb29rcy1yZWFs.c2lnbmF0dXJl"
	tg := policy.Target{User: "SVC", Token: secret, Policy: policy.Production(), Stores: []string{"mem://x"}}
	err := tg.Validate()
	require.ErrorIs(t, err, policy.ErrInvalidTarget)
	require.NotContains(t, err.Error(), secret[:20])
	c, err := policy.LoadConfig(strings.NewReader("targets:\n  - {user: SVC, token: \""+secret+"\", policy: production, stores: [mem://x]}\n"), "t.yaml")
	require.Nil(t, c)
	require.Error(t, err)
	require.NotContains(t, err.Error(), secret[:20])

	long := policy.Target{Name: strings.Repeat("n", 500), User: "SVC", Token: "T", Policy: policy.Production()}
	err = long.Validate()
	require.Error(t, err)
	require.Less(t, len(err.Error()), 300, "the target's name is truncated in errors")
}
