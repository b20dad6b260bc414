package awsfake

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// NewClient returns a real SDK client for the fake: its region, its
// endpoint, static credentials, the server's HTTP client (whose idle
// connections Close closes) and FastRetryer(3). optFns adjust the options
// further, as in secretsmanager.New.
func (s *Server) NewClient(optFns ...func(*secretsmanager.Options)) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKEFAKEFAKE", "fake-secret-key", ""),
		HTTPClient:   s.HTTPClient(),
		Retryer:      FastRetryer(3),
	}, optFns...)
}

// FastRetryer is the SDK's standard retryer (same retryable errors,
// throttling included) with no backoff and no retry quota, so that tests
// see retries happen without waiting.
func FastRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
	})
}
