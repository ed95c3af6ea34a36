// SiteKit
