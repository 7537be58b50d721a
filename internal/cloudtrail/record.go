// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"math"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// recordFields holds the tape indices (-1 = absent) of the top-level record fields the decoder interprets.
type recordFields struct {
	eventTime, errorCode, recipientAccountID, awsRegion, userIdentity int32

	// used only for semantic-convention attributes
	eventVersion, eventID, eventName, eventType, apiVersion, eventSource, requestID, eventCategory  int32
	readOnly, managementEvent, sourceIPAddress, userAgent, sessionCredentialFromConsole, tlsDetails int32
	errorMessage, sharedEventID, insightDetails, requestParameters, responseElements                int32
	additionalEventData, resources                                                                  int32
}

var absentFields = recordFields{
	-1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1,
	-1, -1,
}

// fieldID identifies a top-level record member the decoder interprets. The parser stores it on each tape node
// (from the member name's keyInfo, so it is looked up once per distinct name, not once per record), which turns
// scanFields into a jump table instead of a string switch per member.
type fieldID uint8

const (
	fieldNone fieldID = iota
	fieldEventTime
	fieldErrorCode
	fieldRecipientAccountID
	fieldAwsRegion
	fieldUserIdentity
	fieldEventVersion
	fieldEventID
	fieldEventName
	fieldEventType
	fieldAPIVersion
	fieldEventSource
	fieldRequestID
	fieldEventCategory
	fieldReadOnly
	fieldManagementEvent
	fieldSourceIPAddress
	fieldUserAgent
	fieldSessionCredentialFromConsole
	fieldTLSDetails
	fieldErrorMessage
	fieldSharedEventID
	fieldInsightDetails
	fieldRequestParameters
	fieldResponseElements
	fieldAdditionalEventData
	fieldResources
)

var recordFieldIDs = map[string]fieldID{
	"eventTime":                    fieldEventTime,
	"errorCode":                    fieldErrorCode,
	"recipientAccountId":           fieldRecipientAccountID,
	"awsRegion":                    fieldAwsRegion,
	"userIdentity":                 fieldUserIdentity,
	"eventVersion":                 fieldEventVersion,
	"eventID":                      fieldEventID,
	"eventName":                    fieldEventName,
	"eventType":                    fieldEventType,
	"apiVersion":                   fieldAPIVersion,
	"eventSource":                  fieldEventSource,
	"requestID":                    fieldRequestID,
	"eventCategory":                fieldEventCategory,
	"readOnly":                     fieldReadOnly,
	"managementEvent":              fieldManagementEvent,
	"sourceIPAddress":              fieldSourceIPAddress,
	"userAgent":                    fieldUserAgent,
	"sessionCredentialFromConsole": fieldSessionCredentialFromConsole,
	"tlsDetails":                   fieldTLSDetails,
	"errorMessage":                 fieldErrorMessage,
	"sharedEventID":                fieldSharedEventID,
	"insightDetails":               fieldInsightDetails,
	"requestParameters":            fieldRequestParameters,
	"responseElements":             fieldResponseElements,
	"additionalEventData":          fieldAdditionalEventData,
	"resources":                    fieldResources,
}

// scanFields indexes the members of the record object at tape index 0. With duplicate names the last one wins,
// as in the body map.
func (t *tape) scanFields(f *recordFields) {
	*f = absentFields
	for i := int32(1); i < t.nodes[0].end; i = t.next(i) {
		switch t.nodes[i].field {
		case fieldNone:
		case fieldEventTime:
			f.eventTime = i
		case fieldErrorCode:
			f.errorCode = i
		case fieldRecipientAccountID:
			f.recipientAccountID = i
		case fieldAwsRegion:
			f.awsRegion = i
		case fieldUserIdentity:
			f.userIdentity = i
		case fieldEventVersion:
			f.eventVersion = i
		case fieldEventID:
			f.eventID = i
		case fieldEventName:
			f.eventName = i
		case fieldEventType:
			f.eventType = i
		case fieldAPIVersion:
			f.apiVersion = i
		case fieldEventSource:
			f.eventSource = i
		case fieldRequestID:
			f.requestID = i
		case fieldEventCategory:
			f.eventCategory = i
		case fieldReadOnly:
			f.readOnly = i
		case fieldManagementEvent:
			f.managementEvent = i
		case fieldSourceIPAddress:
			f.sourceIPAddress = i
		case fieldUserAgent:
			f.userAgent = i
		case fieldSessionCredentialFromConsole:
			f.sessionCredentialFromConsole = i
		case fieldTLSDetails:
			f.tlsDetails = i
		case fieldErrorMessage:
			f.errorMessage = i
		case fieldSharedEventID:
			f.sharedEventID = i
		case fieldInsightDetails:
			f.insightDetails = i
		case fieldRequestParameters:
			f.requestParameters = i
		case fieldResponseElements:
			f.responseElements = i
		case fieldAdditionalEventData:
			f.additionalEventData = i
		case fieldResources:
			f.resources = i
		}
	}
}

// account returns recipientAccountId, else userIdentity.accountId (eventVersion 1.0/1.01 records), else fallback.
func (t *tape) account(f *recordFields, fallback string) string {
	if a := t.str(f.recipientAccountID); a != "" {
		return a
	}
	if a := t.str(t.member(f.userIdentity, "accountId")); a != "" {
		return a
	}
	return fallback
}

// parseEventTime parses an RFC 3339 time. CloudTrail always writes "YYYY-MM-DDTHH:MM:SSZ", which is parsed
// without the time package; anything else goes through time.Parse. Times that pdata cannot represent
// (before 1970 or after 2262) are rejected.
func parseEventTime(s string) (pcommon.Timestamp, bool) {
	if secs, ok := parseUTCSeconds(s); ok {
		if secs < 0 || secs > math.MaxInt64/int64(time.Second) {
			return 0, false
		}
		return pcommon.Timestamp(uint64(secs) * uint64(time.Second)), true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false
	}
	if t.Unix() < 0 || t.Unix() >= math.MaxInt64/int64(time.Second) {
		return 0, false
	}
	return pcommon.NewTimestampFromTime(t), true
}

// parseUTCSeconds handles exactly "YYYY-MM-DDTHH:MM:SSZ" with the same range checks as time.Parse.
func parseUTCSeconds(s string) (int64, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return 0, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return 0, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	return daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec), true
}

func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	default:
		return 31
	}
}

// daysFromCivil returns the number of days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= -1 here, so truncation equals floor except for y == -1, handled below
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
