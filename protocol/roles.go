package protocol

// Role names, the keys of HELLO.Details.roles and WELCOME.Details.roles.
const (
	RoleCaller     = "caller"
	RoleCallee     = "callee"
	RolePublisher  = "publisher"
	RoleSubscriber = "subscriber"
	RoleDealer     = "dealer"
	RoleBroker     = "broker"
)

// Feature names of the Advanced Profile (advanced/features.md and the
// feature chapters), announced as
// Details.roles.<role>.features.<feature>|bool := true.
const (
	// RPC.
	FeatureProgressiveCallResults     = "progressive_call_results"
	FeatureProgressiveCallInvocations = "progressive_call_invocations"
	FeatureCallCanceling              = "call_canceling"
	FeatureCallTimeout                = "call_timeout"
	FeatureCallerIdentification       = "caller_identification"
	FeatureCallTrustlevels            = "call_trustlevels"
	FeatureCallReroute                = "call_reroute"
	FeaturePatternBasedRegistration   = "pattern_based_registration"
	FeatureSharedRegistration         = "shared_registration"
	FeatureShardedRegistration        = "sharded_registration"
	FeatureRegistrationRevocation     = "registration_revocation"
	FeatureRegistrationMetaAPI        = "registration_meta_api"

	// Publish & subscribe.
	FeaturePublisherExclusion          = "publisher_exclusion"
	FeaturePublisherIdentification     = "publisher_identification"
	FeaturePublicationTrustlevels      = "publication_trustlevels"
	FeatureSubscriberBlackwhiteListing = "subscriber_blackwhite_listing"
	FeaturePatternBasedSubscription    = "pattern_based_subscription"
	FeatureShardedSubscription         = "sharded_subscription"
	FeatureEventHistory                = "event_history"
	FeatureEventRetention              = "event_retention"
	FeatureSubscriptionRevocation      = "subscription_revocation"
	FeatureSubscriptionMetaAPI         = "subscription_meta_api"

	// Other.
	FeatureSessionMetaAPI      = "session_meta_api"
	FeatureTestamentMetaAPI    = "testament_meta_api"
	FeaturePayloadPassthruMode = "payload_passthru_mode"
)

// Match policies of SUBSCRIBE.Options.match and REGISTER.Options.match.
const (
	MatchExact    = "exact"
	MatchPrefix   = "prefix"
	MatchWildcard = "wildcard"
)

// Invocation policies of REGISTER.Options.invoke.
const (
	InvokeSingle     = "single"
	InvokeRoundRobin = "roundrobin"
	InvokeRandom     = "random"
	InvokeFirst      = "first"
	InvokeLast       = "last"
)

// Cancel modes of CANCEL.Options.mode and INTERRUPT.Options.mode.
const (
	CancelSkip       = "skip"
	CancelKill       = "kill"
	CancelKillNoWait = "killnowait"
)
