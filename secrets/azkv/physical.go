package azkv

import (
	"cmp"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// physical is one Key Vault version. A portable version is an original
// physical version; copies (written so that the vault's latest version is
// always the current one) carry another version's value and are not
// versions of their own.
type physical struct {
	id      string
	created time.Time
	enabled bool
	exp     *time.Time
	tags    map[string]*string
	mark    mark
	value   *string // as stored; nil when not read (lists) or not readable
}

// logical is the portable version p stands for.
func (p *physical) logical() string { return cmp.Or(p.mark.copyOf, p.id) }

// isCopy reports whether p is a copy rather than a version of its own.
func (p *physical) isCopy() bool { return p.mark.copyOf != "" }

// stages is the stage table p carries, with ids resolved.
func (p *physical) stages() stages { return p.mark.st.resolve(p.logical()) }

func fromSecret(s *azsecrets.Secret) *physical {
	p := fromParts(s.ID, s.Attributes, s.Tags, s.ContentType)
	p.value = s.Value
	return p
}

func fromProperties(s *azsecrets.SecretProperties) *physical {
	return fromParts(s.ID, s.Attributes, s.Tags, s.ContentType)
}

func fromParts(id *azsecrets.ID, a *azsecrets.SecretAttributes, tags map[string]*string, ct *string) *physical {
	p := &physical{tags: tags, enabled: true}
	if id != nil {
		p.id = id.Version()
	}
	if a != nil {
		if a.Created != nil {
			p.created = a.Created.UTC()
		}
		if a.Enabled != nil {
			p.enabled = *a.Enabled
		}
		p.exp = a.Expires
	}
	var s string
	if ct != nil {
		s = *ct
	}
	p.mark = parseMark(s)
	return p
}

// info describes p as the portable version it is, at stage st.
func (p *physical) info(st stages) driver.VersionInfo {
	return driver.VersionInfo{
		ID:       p.id,
		Stage:    st.of(p.id),
		Created:  p.created,
		Enabled:  p.enabled,
		Metadata: metadataFromTags(p.tags),
	}
}

// of returns the stage id holds.
func (st stages) of(id string) driver.Stage {
	switch id {
	case "":
		return driver.StageNone
	case st.cur:
		return driver.StageCurrent
	case st.pend:
		return driver.StagePending
	case st.prev:
		return driver.StagePrevious
	}
	return driver.StageNone
}

// holder returns the id holding stage, or "".
func (st stages) holder(stage driver.Stage) string {
	switch stage {
	case driver.StageCurrent:
		return st.cur
	case driver.StagePending:
		return st.pend
	case driver.StagePrevious:
		return st.prev
	}
	return ""
}

// compareAge orders versions oldest first: by the vault's creation time,
// which has one-second resolution, then by the writer's clock recorded in
// the content type, then by attempt (attempts of one write share that
// clock), then by id so that the order is total.
func compareAge(a, b *physical) int {
	return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.mark.t, b.mark.t), cmp.Compare(a.mark.n, b.mark.n), cmp.Compare(a.id, b.id))
}
