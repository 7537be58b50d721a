// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Semantic-convention attribute names, identical to contrib's awslogsencodingextension (format: cloudtrail),
// so users can switch between the two. See docs/cloudtrail-in-s3.md#semantic-convention-attributes.
const (
	attrEventVersion       = "aws.cloudtrail.event_version"
	attrEventID            = "aws.cloudtrail.event_id"
	attrRPCMethod          = "rpc.method"
	attrRPCSystem          = "rpc.system"
	attrAPIVersion         = "aws.cloudtrail.api_version"
	attrRPCService         = "rpc.service"
	attrRequestID          = "aws.request_id"
	attrEventCategory      = "aws.event.category"
	attrReadOnly           = "aws.event.read_only"
	attrManagement         = "aws.event.management"
	attrSourceAddress      = "source.address"
	attrUserAgent          = "user_agent.original"
	attrSessionConsole     = "aws.session.console"
	attrUserID             = "user.id"
	attrUserName           = "user.name"
	attrIdentityAccountID  = "aws.user_identity.account_id"
	attrAccessKeyID        = "aws.access_key.id"
	attrIdentityStoreARN   = "aws.identity_store.arn"
	attrInvokedBy          = "aws.user_identity.invoked_by"
	attrPrincipalID        = "aws.principal.id"
	attrPrincipalARN       = "aws.principal.arn"
	attrPrincipalType      = "aws.principal.type"
	attrMFAAuthenticated   = "aws.user_identity.session_context.attributes.mfa_authenticated"
	attrCreationDate       = "aws.user_identity.session_context.attributes.creation_date"
	attrIssuerType         = "aws.user_identity.session_context.issuer.type"
	attrIssuerPrincipalID  = "aws.user_identity.session_context.issuer.principal_id"
	attrIssuerARN          = "aws.user_identity.session_context.issuer.arn"
	attrIssuerAccountID    = "aws.user_identity.session_context.issuer.account_id"
	attrIssuerUserName     = "aws.user_identity.session_context.issuer.user_name"
	attrTLSProtocolVersion = "tls.protocol.version"
	attrTLSCipher          = "tls.cipher"
	attrServerAddress      = "server.address"
	attrErrorCode          = "aws.error.code"
	attrErrorMessage       = "aws.error.message"
	attrSharedEventID      = "aws.shared_event_id"
	attrInsightDetails     = "aws.insight_details"
	attrRequestParameters  = "aws.request.parameters"
	attrResponseElements   = "aws.response.elements"
	attrAdditionalData     = "aws.cloudtrail.additional_event_data"
	attrResources          = "aws.resources"

	attrResourceAccountID = "account.id"
	attrResourceType      = "type"
	attrResourceARN       = "arn"
)

type attrKind uint8

const (
	attrKindStr attrKind = iota
	attrKindBool
	attrKindMap       // node is an object on the tape
	attrKindResources // node is the resources array
)

// attr is one pending log attribute; collecting them first lets the attribute map be sized exactly.
type attr struct {
	key  string
	kind attrKind
	str  string
	b    bool
	node int32
}

// semanticAttributes appends the semantic-convention attributes (docs/cloudtrail-in-s3.md) of the record on the
// tape to out.
func (t *tape) semanticAttributes(f *recordFields, out []attr) []attr {
	always := func(key string, i int32) {
		out = append(out, attr{key: key, str: t.str(i)})
	}
	ifSet := func(key string, i int32) {
		if s := t.str(i); s != "" {
			out = append(out, attr{key: key, str: s})
		}
	}
	ifBool := func(key string, i int32) {
		if i >= 0 {
			switch t.nodes[i].kind {
			case kindTrue:
				out = append(out, attr{key: key, kind: attrKindBool, b: true})
			case kindFalse:
				out = append(out, attr{key: key, kind: attrKindBool, b: false})
			}
		}
	}
	ifObject := func(key string, i int32) {
		if t.isObject(i) {
			out = append(out, attr{key: key, kind: attrKindMap, node: i})
		}
	}

	always(attrEventVersion, f.eventVersion)
	always(attrEventID, f.eventID)
	ifSet(attrRPCMethod, f.eventName)
	always(attrRPCSystem, f.eventType)
	ifSet(attrAPIVersion, f.apiVersion)
	ifSet(attrRPCService, f.eventSource)
	ifSet(attrRequestID, f.requestID)
	always(attrEventCategory, f.eventCategory)
	ifBool(attrReadOnly, f.readOnly)
	ifBool(attrManagement, f.managementEvent)
	ifSet(attrSourceAddress, f.sourceIPAddress)
	ifSet(attrUserAgent, f.userAgent)
	if i := f.sessionCredentialFromConsole; t.str(i) == "true" || (i >= 0 && t.nodes[i].kind == kindTrue) {
		out = append(out, attr{key: attrSessionConsole, kind: attrKindBool, b: true})
	}

	if ui := f.userIdentity; t.isObject(ui) {
		ifSet(attrUserID, t.member(ui, "userId"))
		ifSet(attrUserName, t.member(ui, "userName"))
		ifSet(attrIdentityAccountID, t.member(ui, "accountId"))
		ifSet(attrAccessKeyID, t.member(ui, "accessKeyId"))
		ifSet(attrIdentityStoreARN, t.member(ui, "identityStoreArn"))
		ifSet(attrInvokedBy, t.member(ui, "invokedBy"))
		ifSet(attrPrincipalID, t.member(ui, "principalId"))
		ifSet(attrPrincipalARN, t.member(ui, "arn"))
		ifSet(attrPrincipalType, t.member(ui, "type"))
		if sc := t.member(ui, "sessionContext"); t.isObject(sc) {
			if sa := t.member(sc, "attributes"); t.isObject(sa) {
				mfa := t.member(sa, "mfaAuthenticated")
				if b, err := strconv.ParseBool(t.str(mfa)); err == nil {
					out = append(out, attr{key: attrMFAAuthenticated, kind: attrKindBool, b: b})
				} else {
					ifBool(attrMFAAuthenticated, mfa)
				}
				ifSet(attrCreationDate, t.member(sa, "creationDate"))
			}
			if si := t.member(sc, "sessionIssuer"); t.isObject(si) {
				ifSet(attrIssuerType, t.member(si, "type"))
				ifSet(attrIssuerPrincipalID, t.member(si, "principalId"))
				ifSet(attrIssuerARN, t.member(si, "arn"))
				ifSet(attrIssuerAccountID, t.member(si, "accountId"))
				ifSet(attrIssuerUserName, t.member(si, "userName"))
			}
		}
	}

	if tls := f.tlsDetails; t.isObject(tls) {
		if v := t.str(t.member(tls, "tlsVersion")); v != "" {
			out = append(out, attr{key: attrTLSProtocolVersion, str: strings.TrimPrefix(v, "TLSv")})
		}
		ifSet(attrTLSCipher, t.member(tls, "cipherSuite"))
		ifSet(attrServerAddress, t.member(tls, "clientProvidedHostHeader"))
	}

	ifSet(attrErrorCode, f.errorCode)
	ifSet(attrErrorMessage, f.errorMessage)
	ifSet(attrSharedEventID, f.sharedEventID)
	ifObject(attrInsightDetails, f.insightDetails)
	ifObject(attrRequestParameters, f.requestParameters)
	ifObject(attrResponseElements, f.responseElements)
	ifObject(attrAdditionalData, f.additionalEventData)
	if r := f.resources; r >= 0 && t.nodes[r].kind == kindArray && t.countObjects(r) > 0 {
		out = append(out, attr{key: attrResources, kind: attrKindResources, node: r})
	}
	return out
}

func (t *tape) countObjects(arr int32) int {
	n := 0
	for i := arr + 1; i < t.nodes[arr].end; i = t.next(i) {
		if t.nodes[i].kind == kindObject {
			n++
		}
	}
	return n
}

// putAttrs writes pending attributes into m (already sized by the caller). Object-valued attributes are copies
// of the record's members already built into body: copying a built map is cheaper than building it again.
func (t *tape) putAttrs(m pcommon.Map, attrs []attr, body pcommon.Map) {
	for i := range attrs {
		a := &attrs[i]
		switch a.kind {
		case attrKindStr:
			m.PutStr(a.key, a.str)
		case attrKindBool:
			m.PutBool(a.key, a.b)
		case attrKindMap:
			dst := m.PutEmptyMap(a.key)
			if v, ok := body.Get(t.nodes[a.node].key); ok && v.Type() == pcommon.ValueTypeMap {
				v.Map().CopyTo(dst)
			} else {
				t.buildMap(dst, a.node)
			}
		case attrKindResources:
			t.putResources(m.PutEmptySlice(a.key), a.node)
		}
	}
}

// putResources maps resources[] entries {accountId, type, ARN} to maps {account.id, type, arn}, each key only
// when its value is a non-empty string.
func (t *tape) putResources(s pcommon.Slice, arr int32) {
	s.EnsureCapacity(t.countObjects(arr))
	for i := arr + 1; i < t.nodes[arr].end; i = t.next(i) {
		if t.nodes[i].kind != kindObject {
			continue
		}
		accountID, typ, arn := t.str(t.member(i, "accountId")), t.str(t.member(i, "type")), t.str(t.member(i, "ARN"))
		m := s.AppendEmpty().SetEmptyMap()
		m.EnsureCapacity(nonEmpty(accountID, typ, arn))
		if accountID != "" {
			m.PutStr(attrResourceAccountID, accountID)
		}
		if typ != "" {
			m.PutStr(attrResourceType, typ)
		}
		if arn != "" {
			m.PutStr(attrResourceARN, arn)
		}
	}
}

func nonEmpty(ss ...string) int {
	n := 0
	for _, s := range ss {
		if s != "" {
			n++
		}
	}
	return n
}
