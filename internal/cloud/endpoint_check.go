package cloud

// CheckEndpoint reports why an endpoint override cannot be used, so the
// provider can name the setting at configure time. Empty is valid.
func CheckEndpoint(raw string) error {
	_, err := parseEndpoint("endpoint", raw)
	if ee, ok := err.(*EndpointError); ok {
		return ee.Err
	}
	return err
}
