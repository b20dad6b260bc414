package k8sfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// resource is one kind the fake serves.
type resource struct {
	group, version, name, kind string
	// newObject returns an empty object of the kind.
	newObject func() object
	// check validates what is particular to the kind; old is nil on create.
	// It may also default and normalise obj, as the real server's strategy
	// does before validation.
	check func(obj, old object) field.ErrorList
}

// object is a typed API object the fake stores.
type object interface {
	meta() *metav1.ObjectMeta
	typeMeta() *metav1.TypeMeta
	runtimeObject() runtime.Object
}

type secretObject struct{ *corev1.Secret }

func (o secretObject) meta() *metav1.ObjectMeta      { return &o.ObjectMeta }
func (o secretObject) typeMeta() *metav1.TypeMeta    { return &o.TypeMeta }
func (o secretObject) MarshalJSON() ([]byte, error)  { return json.Marshal(o.Secret) }
func (o secretObject) runtimeObject() runtime.Object { return o.Secret }

type leaseObject struct{ *coordinationv1.Lease }

func (o leaseObject) meta() *metav1.ObjectMeta      { return &o.ObjectMeta }
func (o leaseObject) typeMeta() *metav1.TypeMeta    { return &o.TypeMeta }
func (o leaseObject) MarshalJSON() ([]byte, error)  { return json.Marshal(o.Lease) }
func (o leaseObject) runtimeObject() runtime.Object { return o.Lease }

var resources = []*resource{
	{group: "", version: "v1", name: "secrets", kind: "Secret",
		newObject: func() object { return secretObject{&corev1.Secret{}} }, check: checkSecret},
	{group: "coordination.k8s.io", version: "v1", name: "leases", kind: "Lease",
		newObject: func() object { return leaseObject{&coordinationv1.Lease{}} }, check: checkLease},
}

func (r *resource) groupVersion() string {
	return schema.GroupVersion{Group: r.group, Version: r.version}.String()
}

func (r *resource) groupResource() schema.GroupResource {
	return schema.GroupResource{Group: r.group, Resource: r.name}
}

func (r *resource) groupKind() schema.GroupKind {
	return schema.GroupKind{Group: r.group, Kind: r.kind}
}

// decode reads a request body (or a stored object) strictly enough to
// catch a client that sends the wrong kind.
func (r *resource) decode(body []byte) (object, error) {
	obj := r.newObject()
	if err := json.Unmarshal(body, obj.runtimeObject()); err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the object provided is unrecognized: %v", err))
	}
	tm := obj.typeMeta()
	if (tm.Kind != "" && tm.Kind != r.kind) || (tm.APIVersion != "" && tm.APIVersion != r.groupVersion()) {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the API version in the data (%s) or kind (%s) does not match the expected %s %s",
			tm.APIVersion, tm.Kind, r.groupVersion(), r.kind))
	}
	return obj, nil
}

// encode renders an object as the server returns it, with its type set.
func (r *resource) encode(obj object) []byte {
	tm := obj.typeMeta()
	tm.Kind, tm.APIVersion = r.kind, r.groupVersion()
	b, _ := json.Marshal(obj)
	return b
}

// validate checks the metadata every kind shares, then the kind's own
// fields.
func (r *resource) validate(obj, old object) field.ErrorList {
	m := obj.meta()
	var errs field.ErrorList
	md := field.NewPath("metadata")
	if m.Name == "" {
		errs = append(errs, field.Required(md.Child("name"), "name or generateName is required"))
	}
	for _, msg := range validation.IsDNS1123Subdomain(m.Name) {
		errs = append(errs, field.Invalid(md.Child("name"), m.Name, msg))
	}
	errs = append(errs, apivalidation.ValidateAnnotations(m.Annotations, md.Child("annotations"))...)
	errs = append(errs, metav1validation.ValidateLabels(m.Labels, md.Child("labels"))...)
	return append(errs, r.check(obj, old)...)
}

// checkSecret merges stringData into data and applies Secret validation.
func checkSecret(obj, old object) field.ErrorList {
	s := obj.(secretObject).Secret
	if len(s.StringData) > 0 {
		if s.Data == nil {
			s.Data = map[string][]byte{}
		}
		for k, v := range s.StringData {
			s.Data[k] = []byte(v)
		}
		s.StringData = nil
	}
	if s.Type == "" {
		s.Type = corev1.SecretTypeOpaque
	}
	var errs field.ErrorList
	data := field.NewPath("data")
	total := 0
	for k, v := range s.Data {
		for _, msg := range validation.IsConfigMapKey(k) {
			errs = append(errs, field.Invalid(data.Key(k), k, msg))
		}
		total += len(v)
	}
	if total > corev1.MaxSecretSize {
		errs = append(errs, field.TooLong(data, "", corev1.MaxSecretSize))
	}
	if old == nil {
		return errs
	}
	o := old.(secretObject).Secret
	if s.Type != o.Type {
		errs = append(errs, field.Invalid(field.NewPath("type"), s.Type, "field is immutable"))
	}
	if o.Immutable != nil && *o.Immutable {
		if s.Immutable == nil || !*s.Immutable {
			errs = append(errs, field.Forbidden(field.NewPath("immutable"), "field is immutable when `immutable` is set"))
		}
		if !maps.EqualFunc(s.Data, o.Data, bytes.Equal) {
			errs = append(errs, field.Forbidden(data, "field is immutable when `immutable` is set"))
		}
	}
	return errs
}

// checkLease applies Lease validation.
func checkLease(obj, _ object) field.ErrorList {
	l := obj.(leaseObject).Lease
	var errs field.ErrorList
	spec := field.NewPath("spec")
	if d := l.Spec.LeaseDurationSeconds; d != nil && *d <= 0 {
		errs = append(errs, field.Invalid(spec.Child("leaseDurationSeconds"), *d, "must be greater than 0"))
	}
	if t := l.Spec.LeaseTransitions; t != nil && *t < 0 {
		errs = append(errs, field.Invalid(spec.Child("leaseTransitions"), *t, "must be greater than or equal to 0"))
	}
	if l.Spec.PreferredHolder != nil && l.Spec.Strategy == nil {
		errs = append(errs, field.Forbidden(spec.Child("preferredHolder"), "may only be specified if `strategy` is defined"))
	}
	return errs
}
