package scaffold

import (
	"strings"
	"unicode"
)

// tokens splits a column name or JSON path into lower-case words:
// "CustomerNumber" -> customer number, "client.ip" -> client ip,
// "@timestamp" -> timestamp, "body_bytes_sent" -> body bytes sent.
func tokens(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			// camelCase and the end of an acronym ("APIKey" -> api key)
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// joined is a name with case, separators and punctuation removed, the form
// the name tables below are written in.
func joined(name string) string { return strings.Join(tokens(name), "") }

// customerNames maps joined column names to the canonical customer field
// they usually hold. Exact matches are strong guesses.
var customerNames = map[string]string{
	"customerid": "customer_id", "custid": "customer_id", "customernumber": "customer_id", "customerno": "customer_id",
	"custno": "customer_id", "customernum": "customer_id", "custnum": "customer_id", "customerkey": "customer_id",
	"clientid": "customer_id", "subscriberid": "customer_id", "subid": "customer_id", "memberid": "customer_id",
	"userid": "customer_id", "cid": "customer_id", "personid": "customer_id", "partyid": "customer_id", "id": "customer_id",

	"firstname": "first_name", "givenname": "first_name", "fname": "first_name", "forename": "first_name", "first": "first_name",
	"lastname": "last_name", "surname": "last_name", "familyname": "last_name", "lname": "last_name", "last": "last_name",
	"fullname": "full_name", "name": "full_name", "customername": "full_name", "displayname": "full_name",
	"accountname": "full_name", "subscribername": "full_name",

	"addressline1": "address_line1", "address1": "address_line1", "addr1": "address_line1", "street": "address_line1",
	"streetaddress": "address_line1", "address": "address_line1", "line1": "address_line1", "billingaddress": "address_line1",
	"addressstreet": "address_line1", "streetline1": "address_line1", "mailingaddress": "address_line1",
	"addressline2": "address_line2", "address2": "address_line2", "addr2": "address_line2", "unit": "address_line2",
	"apt": "address_line2", "apartment": "address_line2", "suite": "address_line2", "line2": "address_line2",
	"streetline2": "address_line2", "unitnumber": "address_line2",
	"city": "city", "town": "city", "locality": "city", "cityname": "city",
	"state": "state", "region": "state", "province": "state", "stateprovince": "state", "statecode": "state", "county": "state",
	"zip": "postal_code", "zipcode": "postal_code", "postcode": "postal_code", "postalcode": "postal_code", "postal": "postal_code",
	"zip5": "postal_code", "country": "country", "countrycode": "country", "nation": "country", "countryname": "country",

	"email": "email", "emailaddress": "email", "emailaddr": "email", "mail": "email", "emailid": "email",
	"phone": "phone", "phonenumber": "phone", "phoneno": "phone", "msisdn": "phone", "mobile": "phone",
	"mobilenumber": "phone", "mobileno": "phone", "mobilephone": "phone", "cell": "phone", "cellphone": "phone",
	"telephone": "phone", "tel": "phone", "phonenum": "phone", "contactnumber": "phone", "mdn": "phone",

	"dob": "date_of_birth", "birthdate": "date_of_birth", "dateofbirth": "date_of_birth", "birthday": "date_of_birth",
	"bdate": "date_of_birth", "birthdt": "date_of_birth", "dobdate": "date_of_birth",

	"accountnumber": "account_number", "accountno": "account_number", "acctno": "account_number", "acct": "account_number",
	"account": "account_number", "accountid": "account_number", "acctnum": "account_number", "accountnum": "account_number",
	"acctnumber": "account_number", "ban": "account_number", "billingaccount": "account_number",
	"billingaccountnumber": "account_number", "acctid": "account_number",
}

// customerWords are weaker hints: a field whose name contains one of these
// words (for example "home_postcode" or "primary_email").
var customerWords = map[string]string{
	"zip": "postal_code", "postcode": "postal_code", "postal": "postal_code",
	"email": "email", "mail": "email",
	"phone": "phone", "msisdn": "phone", "mobile": "phone", "cell": "phone",
	"dob": "date_of_birth", "birth": "date_of_birth",
	"surname": "last_name", "street": "address_line1", "city": "city", "town": "city",
	"country": "country", "state": "state",
}

// logNames maps joined log keys to canonical log fields. A dotted JSON path
// is tried whole ("client.ip" -> clientip) and by its last part ("ip").
var logNames = map[string]string{
	"ts": "time", "time": "time", "timestamp": "time", "requesttime": "time", "eventtime": "time",
	"datetime": "time", "date": "time", "timelocal": "time", "timeiso8601": "time", "loggedat": "time",
	"requesttimeepoch": "time", "starttime": "time", "receivedat": "time", "createdat": "time",

	"requestid": "request_id", "reqid": "request_id", "xrequestid": "request_id", "traceid": "request_id",
	"correlationid": "request_id", "eventid": "request_id", "extendedrequestid": "request_id",

	"ip": "client_ip", "clientip": "client_ip", "sourceip": "client_ip", "sourceipaddress": "client_ip",
	"remoteaddr": "client_ip", "remoteip": "client_ip", "clientaddress": "client_ip", "cip": "client_ip",
	"ipaddress": "client_ip", "identitysourceip": "client_ip", "srcip": "client_ip", "callerip": "client_ip",

	"apikey": "principal", "consumerid": "principal", "consumer": "principal", "principal": "principal",
	"principalid": "principal", "user": "principal", "userid": "principal", "username": "principal",
	"clientid": "principal", "key": "principal", "apikeyid": "principal", "identityapikey": "principal",
	"useridentityarn": "principal", "caller": "principal", "accesskeyid": "principal", "tokenid": "principal",
	"appid": "principal", "application": "principal",

	"method": "method", "httpmethod": "method", "requestmethod": "method", "verb": "method",

	"url": "url", "uri": "url", "requesturi": "url", "requesturl": "url", "fullurl": "url", "requestline": "url",

	"path": "path", "resourcepath": "path", "requestpath": "path", "uripath": "path", "urlpath": "path",
	"route": "path", "csuristem": "path",

	"query": "query", "querystring": "query", "args": "query", "csuriquery": "query", "requestquery": "query",
	"urlquery": "query", "querystr": "query",

	"status": "status", "statuscode": "status", "httpstatus": "status", "responsestatus": "status",
	"responsecode": "status", "scstatus": "status", "elbstatuscode": "status", "httpstatuscode": "status",

	"bytes": "bytes", "responselength": "bytes", "bytessent": "bytes", "bodybytessent": "bytes",
	"responsesize": "bytes", "responsebytes": "bytes", "size": "bytes", "contentlength": "bytes",
	"scbytes": "bytes", "sentbytes": "bytes", "length": "bytes",

	"useragent": "user_agent", "ua": "user_agent", "httpuseragent": "user_agent", "csuseragent": "user_agent",
	"agent": "user_agent", "requestheadersuseragent": "user_agent", "headersuseragent": "user_agent",
}

// identifierHints maps words seen next to an identifier (the path segment
// before a placeholder, or a query parameter's name) to the identifier kind
// they suggest.
var identifierHints = map[string]string{
	"account": "account_number", "accounts": "account_number", "acct": "account_number", "accountnumber": "account_number",
	"accountno": "account_number", "ban": "account_number", "acctno": "account_number",
	"line": "phone", "lines": "phone", "phone": "phone", "phones": "phone", "msisdn": "phone", "mdn": "phone",
	"mobile": "phone", "number": "phone", "numbers": "phone", "tel": "phone", "subscriber": "phone",
	"email": "email", "emails": "email", "mail": "email",
	"customer": "customer_id", "customers": "customer_id", "customerid": "customer_id", "cust": "customer_id",
	"user": "customer_id", "users": "customer_id", "member": "customer_id", "members": "customer_id",
	"client": "customer_id", "clients": "customer_id", "id": "customer_id",
}
