package snowpat_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The portable and core packages link no secret-store or BI SDK: a program
// gets an SDK by importing the adapter that needs it, and only then.
// (gosnowflake's own cloud storage SDKs are the driver's, and allowed.)
func TestCorePackagesLinkNoStoreSDK(t *testing.T) {
	forbidden := []string{
		"github.com/aws/aws-sdk-go-v2/service/secretsmanager",
		"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault",
		"github.com/Azure/azure-sdk-for-go/sdk/azidentity",
		"cloud.google.com/go/secretmanager",
		"github.com/hashicorp/vault",
		"k8s.io/client-go",
	}
	pkgs := []string{"./secrets", "./secrets/driver", "./secrets/memstore", "./secrets/filestore",
		"./pat", "./policy", "./patconn", "./push", "./push/driver"}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("a core package links %s", dep)
			}
		}
	}
}
