package push_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/snowpat/snowpat/push"
)

func TestMatchAccount(t *testing.T) {
	for _, c := range []struct {
		account, server string
		want            bool
	}{
		{"myorg-myaccount", "myorg-myaccount.snowflakecomputing.com", true},
		{"MYORG-MYACCOUNT", "MyOrg-MyAccount.SnowflakeComputing.com", true},
		{"myorg-my_account", "myorg-my-account.snowflakecomputing.com", true},
		{"myorg-my-account", "myorg-my_account.snowflakecomputing.com", true},
		{"myorg-myaccount", "myorg-myaccount.privatelink.snowflakecomputing.com", true},
		{"myorg-myaccount", "https://myorg-myaccount.snowflakecomputing.com:443/", true},
		{"myorg-myaccount", "myorg-myaccount.snowflakecomputing.com.", true},
		{"xy12345.us-east-2.aws", "xy12345.us-east-2.aws.snowflakecomputing.com", true},
		{"xy12345.us-east-2.aws.privatelink", "xy12345.us-east-2.aws.privatelink.snowflakecomputing.com", true},
		{"xy12345.cn-north-1.aws", "xy12345.cn-north-1.aws.snowflakecomputing.cn", true},
		{"myorg-myaccount.snowflakecomputing.com", "myorg-myaccount.snowflakecomputing.com", true},
		{"xy12345", "xy12345.snowflakecomputing.com", true},

		{"xy12345", "xy12345.us-east-2.aws.snowflakecomputing.com", false}, // a locator without its region
		{"xy12345.us-east-2.aws", "xy12345.snowflakecomputing.com", false},
		{"myorg-myaccount", "myorg-otheraccount.snowflakecomputing.com", false},
		{"myorg-myaccount", "evil.com/myorg-myaccount.snowflakecomputing.com", false},
		{"myorg-myaccount", "myorg-myaccount.snowflakecomputing.com.evil.com", false},
		{"myorg-myaccount", "myorg-myaccount.example.com", false},
		{"myorg-myaccount", "10.0.0.1", false},
		{"myorg-myaccount", "", false},
		{"myorg-myaccount", ".snowflakecomputing.com", false},
		{"", "myorg-myaccount.snowflakecomputing.com", false},
		{"my account", "my account.snowflakecomputing.com", false},
	} {
		assert.Equal(t, c.want, push.MatchAccount(c.account, c.server), "%q vs %q", c.account, c.server)
	}
}

func ExampleMatchAccount() {
	fmt.Println(push.MatchAccount("myorg-my_account", "myorg-my-account.privatelink.snowflakecomputing.com"))
	fmt.Println(push.MatchAccount("myorg-my_account", "myorg-other.snowflakecomputing.com"))
	// Output:
	// true
	// false
}
