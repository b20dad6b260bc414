package k8ssecret_test

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets/k8ssecret"
)

// A rotation as a consumer pod sees it: the "token" key of the Secret is
// always the current version, never the pending one.
func ExampleNew() {
	ctx := context.Background()
	link := k8sfake.New().Link() // a cluster; use a real clientset in production
	defer link.Close()
	client := link.Clientset()

	store, _ := k8ssecret.New(client, "snowpat", "powerbi-pat")
	_, _ = store.Put(ctx, []byte("pat-one"), nil)
	next, _ := store.PutPending(ctx, []byte("pat-two"), nil)

	read := func() string {
		s, _ := client.CoreV1().Secrets("snowpat").Get(ctx, "powerbi-pat", metav1.GetOptions{})
		return string(s.Data[k8ssecret.TokenKey])
	}
	fmt.Println(read())
	_ = store.Promote(ctx, next)
	fmt.Println(read())
	// Output:
	// pat-one
	// pat-two
}
