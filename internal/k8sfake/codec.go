package k8sfake

import (
	"mime"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
)

// The wire formats the fake speaks, as the API server does for built-in
// types: client-go sends and prefers protobuf for them, and falls back to
// JSON.
const (
	mediaJSON     = "application/json"
	mediaProtobuf = "application/vnd.kubernetes.protobuf"
)

func serializerFor(mediaType string) (runtime.SerializerInfo, bool) {
	return runtime.SerializerInfoForMediaType(scheme.Codecs.SupportedMediaTypes(), mediaType)
}

// negotiate picks the response format from the Accept header: the first
// of protobuf and JSON the client lists, JSON for */* or no header.
func negotiate(r *http.Request) runtime.SerializerInfo {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if mt == mediaProtobuf || mt == mediaJSON {
			info, _ := serializerFor(mt)
			return info
		}
	}
	info, _ := serializerFor(mediaJSON)
	return info
}

// decodeBody decodes a request body in its declared format into a new
// object of res's kind.
func decodeBody(res *resource, contentType string, body []byte) (object, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == mediaJSON {
		return res.decode(body)
	}
	info, ok := serializerFor(mt)
	if !ok || mt != mediaProtobuf {
		return nil, &apierrors.StatusError{ErrStatus: metav1.Status{
			Status: metav1.StatusFailure, Code: http.StatusUnsupportedMediaType, Reason: metav1.StatusReasonUnsupportedMediaType,
			Message: "the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf",
		}}
	}
	obj := res.newObject()
	gvk := schema.GroupVersionKind{Group: res.group, Version: res.version, Kind: res.kind}
	if _, _, err := info.Serializer.Decode(body, &gvk, obj.runtimeObject()); err != nil {
		return nil, apierrors.NewBadRequest("the object provided is unrecognized: " + err.Error())
	}
	return obj, nil
}

// write sends obj (a stored object or a Status) in the negotiated format.
func write(w http.ResponseWriter, info runtime.SerializerInfo, code int, obj runtime.Object, gv schema.GroupVersion) {
	enc := scheme.Codecs.EncoderForVersion(info.Serializer, gv)
	b, err := runtime.Encode(enc, obj)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", info.MediaType)
	w.WriteHeader(code)
	_, _ = w.Write(b)
}
